// fuzz_template: caller templates through the ABI marshalling and the object rules.
//
// Builds CK_ATTRIBUTE arrays from the input (types, lengths and values from the input, nested
// arrays for the template attributes; see template_builder.h), then runs
//   abi::in_template -> object::build_created -> apply_changes / build_copy / matches
// and abi::write_attributes into caller-shaped output buffers of fuzz-chosen sizes. ASan catches
// any write past a buffer; the harness checks the lengths reported back and that a stored object
// survives the storage encoding unchanged.
#include <cstdlib>
#include <vector>

#include "abi/marshal.h"
#include "object/object.h"
#include "storage/object_codec.h"
#include "template_builder.h"

namespace {

using namespace craton;

std::vector<CK_ATTRIBUTE_TYPE> types_of(const object::AttributeSet& s) {
  std::vector<CK_ATTRIBUTE_TYPE> out;
  for (const auto& [t, a] : s) out.push_back(t);
  return out;
}

void read_back(FuzzedDataProvider& in, fuzz::Arena& arena, const object::AttributeSet& obj) {
  auto out = fuzz::build_out_template(in, arena, types_of(obj));
  const auto before = fuzz::shape_of(out);
  const bool sealed = in.ConsumeBool();
  const CK_RV rv = abi::write_attributes(obj, sealed, out.data(), out.size());
  if (!fuzz::lengths_sane(out, before, rv)) std::abort();
  (void)object::approximate_size(obj);
}

// What the store writes must decode to the same set.
void storage_round_trip(const object::AttributeSet& obj) {
  const auto enc = storage::encode_attributes(obj);
  auto dec = storage::decode_attributes(enc);
  if (!dec.ok() || storage::encode_attributes(*dec) != enc) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  fuzz::Arena arena;
  const object::Actor who{in.ConsumeBool()};

  auto tmpl_raw = fuzz::build_in_template(in, arena);
  // A NULL template with a count must be refused, never dereferenced.
  if (tmpl_raw.empty() && in.ConsumeBool()) {
    if (abi::in_template(nullptr, 1).ok()) std::abort();
  }
  auto tmpl = abi::in_template(tmpl_raw.data(), tmpl_raw.size());
  if (!tmpl.ok()) return 0;
  (void)object::matches(*tmpl, *tmpl);

  auto obj = object::build_created(*tmpl, who);
  if (!obj.ok()) return 0;
  (void)object::matches(*obj, *tmpl);
  storage_round_trip(*obj);
  read_back(in, arena, *obj);

  auto changes_raw = fuzz::build_in_template(in, arena, 6);
  auto changes = abi::in_template(changes_raw.data(), changes_raw.size());
  if (!changes.ok()) return 0;
  auto changed = object::apply_changes(*obj, *changes, who);
  if (changed.ok()) {
    storage_round_trip(*changed);
    read_back(in, arena, *changed);
  }
  auto copy = object::build_copy(*obj, *changes, who);
  if (copy.ok()) {
    storage_round_trip(*copy);
    read_back(in, arena, *copy);
  }
  return 0;
}
