// Result<T>: the error channel of Craton HSM.
//
// Every fallible function returns Result<T>. An error carries the PKCS#11 return value chosen where
// the failure is understood, a static reason (a string literal: never a formatted value, so nothing
// secret can leak through it) and, for CKR_BUFFER_TOO_SMALL, the length the caller must provide.
// Outer layers pass errors on unchanged.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

#include "craton/pkcs11/pkcs11.h"

namespace craton {

struct Error {
  CK_RV rv = CKR_GENERAL_ERROR;
  const char* reason = "";      // static string literal only
  CK_ULONG required_len = 0;    // meaningful for CKR_BUFFER_TOO_SMALL
};

// Builds an Error; `reason` must be a string literal.
constexpr Error fail(CK_RV rv, const char* reason = "") noexcept { return Error{rv, reason, 0}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Error err) : v_(std::in_place_index<1>, err) {}             // NOLINT(implicit)

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }
  CK_RV rv() const noexcept { return ok() ? CKR_OK : std::get_if<1>(&v_)->rv; }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error err) : err_(err), ok_(false) {}  // NOLINT(implicit)

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const { return err_; }
  CK_RV rv() const noexcept { return ok_ ? CKR_OK : err_.rv; }

 private:
  Error err_{};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace craton

// Propagates an error from an expression returning Result<...>/Status.
// `tmp` is a fresh identifier and `lhs` a declaration, so they cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CRATON_CONCAT_INNER_(a, b) a##b
#define CRATON_CONCAT_(a, b) CRATON_CONCAT_INNER_(a, b)
#define CRATON_TRY(expr) CRATON_TRY_IMPL_(CRATON_CONCAT_(craton_try_r_, __COUNTER__), expr)
#define CRATON_TRY_IMPL_(tmp, expr)       \
  do {                                    \
    auto tmp = (expr);                    \
    if (!tmp.ok()) return tmp.error();    \
  } while (0)

// Declares `lhs` from a Result<T> expression or returns its error.
#define CRATON_ASSIGN_OR_RETURN(lhs, expr) \
  CRATON_ASSIGN_OR_RETURN_IMPL_(CRATON_CONCAT_(craton_r_, __COUNTER__), lhs, expr)
#define CRATON_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
