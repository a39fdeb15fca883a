// Defaults: a mechanism answers CKR_MECHANISM_INVALID for every function it does not implement.
#include "mech/mechanism.h"

#include <algorithm>

namespace craton::mech {
namespace {
constexpr Error kNotOffered = fail(CKR_MECHANISM_INVALID, "the mechanism does not offer this function");
}  // namespace

Result<std::size_t> CipherOp::single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes r, single(in));
  if (r.size() > out.size()) return fail(CKR_GENERAL_ERROR, "output larger than the bound it reported");
  std::copy(r.span().begin(), r.span().end(), out.begin());
  return r.size();
}

Status CipherOp::seal_detached(std::span<const std::uint8_t> in, std::span<std::uint8_t> out,
                               std::span<std::uint8_t> tag) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes r, single(in));
  if (r.size() != in.size() + tag.size() || out.size() < in.size()) return fail(CKR_GENERAL_ERROR, "AEAD output of an unexpected length");
  std::copy_n(r.data(), in.size(), out.begin());
  std::copy_n(r.data() + in.size(), tag.size(), tag.begin());
  return {};
}

Result<std::size_t> CipherOp::open_detached(std::span<const std::uint8_t> in, std::span<const std::uint8_t> tag,
                                            std::span<std::uint8_t> out) {
  SecureBytes input(in.size() + tag.size());  // the family takes ciphertext || tag, as in the single-part API
  std::copy(in.begin(), in.end(), input.data());
  std::copy(tag.begin(), tag.end(), input.data() + in.size());
  CRATON_ASSIGN_OR_RETURN(SecureBytes r, single(input.span()));
  if (r.size() > out.size()) return fail(CKR_GENERAL_ERROR, "output larger than the bound it reported");
  std::copy(r.span().begin(), r.span().end(), out.begin());
  return r.size();
}

Result<std::unique_ptr<DigestOp>> Mechanism::digest(const Params&) const { return kNotOffered; }
Result<std::unique_ptr<DigestOp>> Mechanism::restore_digest(std::span<const std::uint8_t>) const {
  return fail(CKR_SAVED_STATE_INVALID, "the mechanism has no restorable state");
}
Result<std::unique_ptr<CipherOp>> Mechanism::encrypt(const Params&, const KeyRef&) const { return kNotOffered; }
Result<std::unique_ptr<CipherOp>> Mechanism::decrypt(const Params&, const KeyRef&) const { return kNotOffered; }
Result<std::unique_ptr<SignOp>> Mechanism::sign(const Params&, const KeyRef&) const { return kNotOffered; }
Result<std::unique_ptr<VerifyOp>> Mechanism::verify(const Params&, const KeyRef&) const { return kNotOffered; }
Result<std::unique_ptr<CipherOp>> Mechanism::sign_recover(const Params&, const KeyRef&) const { return kNotOffered; }
Result<std::unique_ptr<CipherOp>> Mechanism::verify_recover(const Params&, const KeyRef&) const { return kNotOffered; }
Result<object::AttributeSet> Mechanism::generate_key(const Params&, const object::AttributeSet&) const {
  return kNotOffered;
}
Result<KeyPairMaterial> Mechanism::generate_key_pair(const Params&, const object::AttributeSet&,
                                                     const object::AttributeSet&) const {
  return kNotOffered;
}
Result<Bytes> Mechanism::wrap(const Params&, const KeyRef&, std::span<const std::uint8_t>) const { return kNotOffered; }
Result<SecureBytes> Mechanism::unwrap(const Params&, const KeyRef&, std::span<const std::uint8_t>,
                                      std::optional<std::size_t>) const {
  return kNotOffered;
}
Result<Derived> Mechanism::derive(const Params&, const KeyRef&, const DeriveRequest&) const { return kNotOffered; }
Result<std::size_t> Mechanism::ciphertext_size(const Params&, const KeyRef&) const { return kNotOffered; }
Result<Encapsulated> Mechanism::encapsulate(const Params&, const KeyRef&) const { return kNotOffered; }
Result<SecureBytes> Mechanism::decapsulate(const Params&, const KeyRef&, std::span<const std::uint8_t>) const {
  return kNotOffered;
}

}  // namespace craton::mech
