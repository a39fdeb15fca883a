// C_GetOperationState / C_SetOperationState.
//
// A saved state is only ever a digest operation's (every other operation holds key material or
// buffered plaintext and answers CKR_STATE_UNSAVEABLE). The blob is
//   "CST1" | mechanism (8 bytes, little endian) | state length (4) | state | HMAC-SHA-256
// keyed with a random per-process key, so C_SetOperationState only ever restores a state this
// process produced; anything else is CKR_SAVED_STATE_INVALID.
#include <array>
#include <cstring>
#include <mutex>

#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "crypto/ossl/mac.h"
#include "crypto/ossl/random.h"
#include "mech/registry.h"

using namespace craton;
using craton::mech::OpKind;

namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'C', 'S', 'T', '1'};
constexpr std::size_t kHeader = 4 + 8 + 4;

Result<std::span<const std::uint8_t>> state_key() {
  static std::array<std::uint8_t, 32> key{};
  static Status made = [] { return crypto::random_bytes(key); }();
  if (!made.ok()) return made.error();
  return std::span<const std::uint8_t>(key);
}

Result<mech::Bytes> seal_state(CK_MECHANISM_TYPE m, std::span<const std::uint8_t> state) {
  mech::Bytes blob(kMagic.begin(), kMagic.end());
  for (int i = 0; i < 8; ++i) blob.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(m) >> (8 * i)));
  for (int i = 0; i < 4; ++i) blob.push_back(static_cast<std::uint8_t>(state.size() >> (8 * i)));
  blob.insert(blob.end(), state.begin(), state.end());
  CRATON_ASSIGN_OR_RETURN(auto key, state_key());
  CRATON_ASSIGN_OR_RETURN(crypto::Sha256Digest mac, crypto::hmac_sha256(key, blob));
  blob.insert(blob.end(), mac.begin(), mac.end());
  return blob;
}

struct OpenedState {
  CK_MECHANISM_TYPE mechanism = 0;
  std::span<const std::uint8_t> state;
};

Result<OpenedState> open_state(std::span<const std::uint8_t> blob) {
  constexpr Error kInvalid = fail(CKR_SAVED_STATE_INVALID, "not a saved state of this module");
  if (blob.size() < kHeader + crypto::kSha256Size || !std::equal(kMagic.begin(), kMagic.end(), blob.begin())) return kInvalid;
  const auto body = blob.first(blob.size() - crypto::kSha256Size);
  CRATON_ASSIGN_OR_RETURN(auto key, state_key());
  CRATON_ASSIGN_OR_RETURN(crypto::Sha256Digest mac, crypto::hmac_sha256(key, body));
  if (!ct_equal(mac, blob.last(crypto::kSha256Size))) return kInvalid;
  OpenedState out;
  std::uint64_t m = 0;
  for (int i = 0; i < 8; ++i) m |= static_cast<std::uint64_t>(body[4 + i]) << (8 * i);
  std::size_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<std::size_t>(body[12 + i]) << (8 * i);
  if (n != body.size() - kHeader) return kInvalid;
  out.mechanism = static_cast<CK_MECHANISM_TYPE>(m);
  out.state = body.subspan(kHeader);
  return out;
}

}  // namespace

CRATON_EXPORT CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                        CK_ULONG_PTR pulOperationStateLen) {
  return abi::with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pulOperationStateLen == nullptr) return CKR_ARGUMENTS_BAD;
    std::unique_lock lock(s.mutex());
    if (!s.ops.any_active()) return CKR_OPERATION_NOT_INITIALIZED;
    for (std::size_t k = 0; k < static_cast<std::size_t>(OpKind::kCount); ++k) {
      if (static_cast<OpKind>(k) != OpKind::kDigest && s.ops.active(static_cast<OpKind>(k))) return CKR_STATE_UNSAVEABLE;
    }
    auto* op = dynamic_cast<mech::DigestOp*>(s.ops.get(OpKind::kDigest));
    if (op == nullptr) return CKR_STATE_UNSAVEABLE;
    auto state = op->save_state();
    if (!state.ok()) return abi::to_rv(state, "C_GetOperationState");
    auto blob = seal_state(op->mechanism, state->span());
    if (!blob.ok()) return abi::to_rv(blob, "C_GetOperationState");
    return abi::out_bytes(*blob, pOperationState, pulOperationStateLen);
  });
}

CRATON_EXPORT CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                        CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
                                        CK_OBJECT_HANDLE hAuthenticationKey) {
  return abi::with_session(hSession, [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pOperationState == nullptr || ulOperationStateLen == 0) return CKR_ARGUMENTS_BAD;
    auto opened = open_state(std::span<const std::uint8_t>(pOperationState, ulOperationStateLen));
    if (!opened.ok()) return opened.rv();
    // A digest state needs no key (spec: CKR_KEY_NOT_NEEDED when one is given anyway).
    if (hEncryptionKey != CK_INVALID_HANDLE || hAuthenticationKey != CK_INVALID_HANDLE) return CKR_KEY_NOT_NEEDED;
    auto reg = abi::offered_mechanism(lib, opened->mechanism);
    if (!reg.ok()) return CKR_SAVED_STATE_INVALID;
    auto op = (*reg)->impl->restore_digest(opened->state);
    if (!op.ok()) return abi::to_rv(op, "C_SetOperationState");
    (*op)->mechanism = opened->mechanism;
    (*op)->multipart = true;
    std::unique_lock lock(s.mutex());
    s.ops.clear();  // the restored state replaces whatever the session was doing
    s.ops.start(OpKind::kDigest, std::move(*op));
    return CKR_OK;
  });
}
