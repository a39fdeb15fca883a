#include "abi/marshal.h"

#include <algorithm>
#include <cstring>

#include "abi/template_memo.h"
#include "object/attribute_rules.h"
#include "object/object.h"

namespace craton::abi {
namespace {

constexpr int kMaxNesting = 2;

Status in_attribute(const CK_ATTRIBUTE& src, int depth, object::Attribute& a);

Result<std::vector<object::Attribute>> in_array(const CK_ATTRIBUTE& src, int depth) {
  if (depth >= kMaxNesting) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "template attributes nested too deeply");
  if (src.ulValueLen % sizeof(CK_ATTRIBUTE) != 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "array attribute length");
  const CK_ULONG n = src.ulValueLen / sizeof(CK_ATTRIBUTE);
  if (n > kMaxTemplateCount) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "array attribute too long");
  if (n != 0 && src.pValue == nullptr) return fail(CKR_ARGUMENTS_BAD, "array attribute value is NULL");
  const auto* elems = static_cast<const CK_ATTRIBUTE*>(src.pValue);
  std::vector<object::Attribute> out;
  out.reserve(n);
  for (CK_ULONG i = 0; i < n; ++i) {
    CRATON_TRY(in_attribute(elems[i], depth + 1, out.emplace_back()));
  }
  return out;
}

// Parses `src` into `a` (an empty attribute, already where it is to stay: a template's attributes
// are made in place, not moved through a Result and into the template).
Status in_attribute(const CK_ATTRIBUTE& src, int depth, object::Attribute& a) {
  a.type = object::canonical_type(src.type);
  // Only attributes we know to hold CK_ATTRIBUTE arrays are parsed as such; an unknown type with
  // the array bit stays opaque so the object rules can name it CKR_ATTRIBUTE_TYPE_INVALID.
  if (a.is_array() && object::kind_of(a.type) == object::AttrKind::kAttrArray) {
    CRATON_ASSIGN_OR_RETURN(a.nested, in_array(src, depth));
    return {};
  }
  if (src.ulValueLen > kMaxValueLen) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "attribute value too long");
  CRATON_ASSIGN_OR_RETURN(auto bytes, in_bytes(src.pValue, src.ulValueLen));
  a.value = object::AttrValue(bytes);
  return {};
}

// The image one attribute occupies in the caller's memory, for the length rule.
CK_ULONG image_len(const object::Attribute& a) {
  return a.is_array() ? static_cast<CK_ULONG>(a.nested.size() * sizeof(CK_ATTRIBUTE))
                      : static_cast<CK_ULONG>(a.value.size());
}

CK_RV write_plain(const object::Attribute& a, CK_ATTRIBUTE& dst) {
  const CK_ULONG need = image_len(a);
  if (dst.pValue == nullptr) {
    dst.ulValueLen = need;
    return CKR_OK;
  }
  if (dst.ulValueLen < need) {
    dst.ulValueLen = CK_UNAVAILABLE_INFORMATION;
    return CKR_BUFFER_TOO_SMALL;
  }
  if (need != 0) std::memcpy(dst.pValue, a.value.data(), need);
  dst.ulValueLen = need;
  return CKR_OK;
}

CK_RV write_array(const object::Attribute& a, CK_ATTRIBUTE& dst) {
  const CK_ULONG need = image_len(a);
  if (dst.pValue == nullptr) {
    dst.ulValueLen = need;
    return CKR_OK;
  }
  if (dst.ulValueLen < need) {
    dst.ulValueLen = CK_UNAVAILABLE_INFORMATION;
    return CKR_BUFFER_TOO_SMALL;
  }
  auto* elems = static_cast<CK_ATTRIBUTE*>(dst.pValue);
  CK_RV rv = CKR_OK;
  for (std::size_t i = 0; i < a.nested.size(); ++i) {
    elems[i].type = a.nested[i].type;
    if (write_plain(a.nested[i], elems[i]) != CKR_OK) rv = CKR_BUFFER_TOO_SMALL;
  }
  dst.ulValueLen = need;
  return rv;
}

}  // namespace

Result<std::span<const std::uint8_t>> in_bytes(const void* p, CK_ULONG len) {
  if (len == 0) return std::span<const std::uint8_t>();
  if (p == nullptr) return fail(CKR_ARGUMENTS_BAD, "NULL buffer with a length");
  return std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(p), len);
}

Result<SecureBytes> in_secret(const CK_UTF8CHAR* p, CK_ULONG len) {
  if (len > kMaxValueLen) return fail(CKR_ARGUMENTS_BAD, "length too large");
  CRATON_ASSIGN_OR_RETURN(auto bytes, in_bytes(p, len));
  return SecureBytes(bytes);
}

CK_RV out_bytes(std::span<const std::uint8_t> value, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  if (out_len == nullptr) return CKR_ARGUMENTS_BAD;
  const CK_ULONG need = value.size();
  if (out == nullptr) {
    *out_len = need;
    return CKR_OK;
  }
  if (*out_len < need) {
    *out_len = need;
    return CKR_BUFFER_TOO_SMALL;
  }
  if (need != 0) std::memcpy(out, value.data(), need);
  *out_len = need;
  return CKR_OK;
}

CK_RV out_ulongs(std::span<const CK_ULONG> values, CK_ULONG_PTR out, CK_ULONG_PTR count) {
  if (count == nullptr) return CKR_ARGUMENTS_BAD;
  const CK_ULONG need = values.size();
  if (out == nullptr) {
    *count = need;
    return CKR_OK;
  }
  if (*count < need) {
    *count = need;
    return CKR_BUFFER_TOO_SMALL;
  }
  std::copy(values.begin(), values.end(), out);
  *count = need;
  return CKR_OK;
}

Result<object::AttributeSet> in_template(const CK_ATTRIBUTE* p, CK_ULONG count) {
  if (count == 0) return object::AttributeSet();
  if (p == nullptr) return fail(CKR_ARGUMENTS_BAD, "NULL template with a count");
  if (count > kMaxTemplateCount) return fail(CKR_ARGUMENTS_BAD, "template too long");
  TemplateMemo& memo = this_thread_templates();
  if (auto kept = memo.find(p, count)) return object::AttributeSet::over(std::move(kept));
  std::vector<object::AttributeSet::Entry> entries;  // made into the set in place, no second vector
  entries.reserve(count);
  for (CK_ULONG i = 0; i < count; ++i) {
    CRATON_TRY(in_attribute(p[i], 0, entries.emplace_back().second));  // template_from sets the key
  }
  CRATON_ASSIGN_OR_RETURN(object::AttributeSet parsed, object::template_from(std::move(entries)));
  if (!TemplateMemo::eligible(p, count)) return parsed;
  object::AttributeSet::Shared shared = std::move(parsed).share();
  memo.keep(p, count, shared);
  return object::AttributeSet::over(std::move(shared));
}

// Spec C_GetAttributeValue: every attribute is processed; the sensitive and invalid ones report
// CK_UNAVAILABLE_INFORMATION; if several errors apply, the most telling one is returned.
CK_RV write_attributes(const object::AttributeSet& obj, bool sealed, CK_ATTRIBUTE* tmpl, CK_ULONG count) {
  bool sensitive = false, invalid = false, too_small = false;
  for (CK_ULONG i = 0; i < count; ++i) {
    CK_ATTRIBUTE& dst = tmpl[i];
    const CK_ATTRIBUTE_TYPE t = object::canonical_type(dst.type);
    switch (object::readability(obj, t, sealed)) {
      case object::Readability::kSensitive:
        dst.ulValueLen = CK_UNAVAILABLE_INFORMATION;
        sensitive = true;
        continue;
      case object::Readability::kInvalid:
        dst.ulValueLen = CK_UNAVAILABLE_INFORMATION;
        invalid = true;
        continue;
      case object::Readability::kReadable:
        break;
    }
    const object::Attribute& a = *obj.find(t);
    const CK_RV rv = a.is_array() ? write_array(a, dst) : write_plain(a, dst);
    if (rv != CKR_OK) too_small = true;
  }
  if (sensitive) return CKR_ATTRIBUTE_SENSITIVE;
  if (invalid) return CKR_ATTRIBUTE_TYPE_INVALID;
  if (too_small) return CKR_BUFFER_TOO_SMALL;
  return CKR_OK;
}

void blank_copy(std::span<CK_UTF8CHAR> dst, std::string_view src) {
  std::fill(dst.begin(), dst.end(), ' ');
  std::copy_n(src.begin(), std::min(dst.size(), src.size()), dst.begin());
}

}  // namespace craton::abi
