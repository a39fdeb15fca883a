// Internal to ck_names*.cpp: the {value, "NAME"} table type and its lookups.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "craton/pkcs11/pkcs11.h"

namespace craton::ck_names_detail {

struct NameEntry {
  CK_ULONG value;
  std::string_view name;
};

// Tables of canonical names are kept in ascending value order with no duplicate value; this is
// checked at compile time so that a wrong edit cannot silently break the binary search.
template <std::size_t N>
constexpr bool strictly_ascending(const NameEntry (&table)[N]) {
  for (std::size_t i = 1; i < N; ++i) {
    if (!(table[i - 1].value < table[i].value)) return false;
  }
  return true;
}

// Binary search in a strictly ascending table; `unknown` when absent.
constexpr std::string_view find_name(std::span<const NameEntry> table, CK_ULONG value,
                                     std::string_view unknown) noexcept {
  std::size_t lo = 0;
  std::size_t hi = table.size();
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (table[mid].value < value) lo = mid + 1;
    else hi = mid;
  }
  return (lo < table.size() && table[lo].value == value) ? table[lo].name : unknown;
}

// Linear search by exact name (name lookups are rare: configuration and tools).
constexpr std::optional<CK_ULONG> find_value(std::span<const NameEntry> table, std::string_view name) noexcept {
  for (const NameEntry& e : table) {
    if (e.name == name) return e.value;
  }
  return std::nullopt;
}

}  // namespace craton::ck_names_detail
