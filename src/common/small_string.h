// SmallString<N>: an owned text kept inline up to N characters, on the heap beyond — the storage of
// SmallBytes (small_bytes.h: SmallBuffer) holding characters, with the conversions and comparisons
// of a string.
//
// For short texts that one thread makes and another frees. An audit record names its object by
// CKA_UNIQUE_ID (32 characters): as a std::string that was a heap block allocated by the calling
// thread and released by the audit writer's thread, once per record, and that hand-over kept the
// caller's malloc from reusing its own blocks (arena lock, fastbin consolidation: several per cent
// of the calling thread's time in C_EncapsulateKey with the audit log on). Inline, copying the
// record allocates nothing.
// Not for secrets (nothing is wiped). Thread safety: a plain value type.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "common/small_bytes.h"

namespace craton {

template <std::size_t N>
class SmallString {
 public:
  SmallString() = default;
  // Implicit on purpose, as std::string's: it stands in for text wherever a string was taken.
  // cppcheck-suppress noExplicitConstructor
  SmallString(std::string_view s) { assign(s); }  // NOLINT(google-explicit-constructor)
  // cppcheck-suppress noExplicitConstructor
  SmallString(const char* s) : SmallString(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  // cppcheck-suppress noExplicitConstructor
  SmallString(const std::string& s) : SmallString(std::string_view(s)) {}  // NOLINT(google-explicit-constructor)
  SmallString& operator=(std::string_view s) {
    assign(s);
    return *this;
  }
  SmallString& operator=(const char* s) { return *this = std::string_view(s); }
  SmallString& operator=(const std::string& s) { return *this = std::string_view(s); }

  // Replaces the contents with `s` (which may view this object's own text).
  void assign(std::string_view s) { chars_.assign(s.data(), s.size()); }
  void clear() { chars_.assign(nullptr, 0); }
  // Cuts the text to at most n characters.
  void truncate(std::size_t n) {
    if (n < size()) assign(view().substr(0, n));
  }

  const char* data() const noexcept { return chars_.data(); }
  std::size_t size() const noexcept { return chars_.size(); }
  bool empty() const noexcept { return chars_.empty(); }
  bool on_heap() const noexcept { return size() > N; }
  std::string_view view() const noexcept { return {data(), size()}; }
  std::string str() const { return std::string(view()); }
  operator std::string_view() const noexcept { return view(); }  // NOLINT(google-explicit-constructor): as std::string's

  // Compares with anything that is text: one overload per kind, each an exact match, so neither
  // the implicit conversions nor C++20's reversed candidates make a comparison ambiguous.
  friend bool operator==(const SmallString& a, const SmallString& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const SmallString& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const SmallString& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const SmallString& a, const char* b) noexcept { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& os, const SmallString& s) { return os << s.view(); }

 private:
  SmallBuffer<char, N> chars_;
};

// A CKA_UNIQUE_ID as text: the module's own have 32 characters (token_objects.cpp), so they stay
// inline; longer ones (imported from elsewhere) take the heap.
using UniqueIdText = SmallString<40>;

}  // namespace craton
