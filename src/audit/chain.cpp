#include "audit/chain.h"

#include "crypto/ossl/sha_state.h"

namespace craton::audit {
namespace {

// SHA-256 through the stateful low-level context: no provider fetch per record (the writer hashes
// every record; EVP_MD_fetch costs more than hashing a few hundred bytes).
Result<Hash> sha256_of(std::span<const std::uint8_t> prev, std::span<const std::uint8_t> body) {
  CRATON_ASSIGN_OR_RETURN(crypto::StatefulSha sha, crypto::StatefulSha::create(CKM_SHA256));
  sha.update(prev);
  sha.update(body);
  const std::vector<std::uint8_t> d = sha.finish();
  Hash h{};
  if (d.size() != h.size()) return fail(CKR_FUNCTION_FAILED, "SHA-256 failed");
  std::copy(d.begin(), d.end(), h.begin());
  return h;
}

}  // namespace

Result<Hash> next_hash(const Hash& prev, std::string_view body) {
  const std::vector<std::uint8_t> bytes(body.begin(), body.end());
  return sha256_of(prev, bytes);
}

Result<Hash> record_mac(std::span<const std::uint8_t> key, const Hash& h) { return crypto::hmac_sha256(key, h); }

Result<std::string> Chain::append(Stamp stamp, const Event& event) {
  if (!mac_) {
    CRATON_ASSIGN_OR_RETURN(crypto::ReusableMac m, crypto::ReusableMac::hmac(CKM_SHA256, key_.span()));
    mac_.emplace(std::move(m));
  }
  stamp.prev_hex = to_hex(last_.data(), last_.size());
  body_.clear();
  encode_body(stamp, event, body_);
  hash_input_.assign(body_.begin(), body_.end());
  CRATON_ASSIGN_OR_RETURN(Hash h, sha256_of(last_, hash_input_));
  Hash mac{};  // public: it is written next to the record
  CRATON_TRY(mac_->compute(h, mac));
  last_ = h;
  return line_from_body(body_, to_hex(mac.data(), mac.size()));
}

}  // namespace craton::audit
