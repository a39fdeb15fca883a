// The mechanism framework: what a mechanism family implements.
//
// A family is one file: it defines Mechanism subclasses (usually one class parametrised per
// mechanism number) and a function returning their Registrations; all_mechanisms.cpp lists that
// function once. Everything around the family is done once, elsewhere:
//   * abi/mech_params.cpp decodes the caller's parameter (see params.h);
//   * mech/policy.cpp checks key class, usage flags and CKA_ALLOWED_MECHANISMS;
//   * abi/op_helpers.cpp applies the operation-state and output-buffer rules;
//   * mech/new_key.cpp turns generated/derived/unwrapped material into objects
//     (CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_KEY_GEN_MECHANISM, templates).
// A family only validates parameter values and key sizes, and calls src/crypto.
// Every factory a family does not override answers CKR_MECHANISM_INVALID.
//
// Thread safety: Mechanism objects are immutable singletons, callable from any thread. Operation
// objects belong to one session and are only used under that session's lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "mech/operation.h"
#include "mech/params.h"
#include "object/attribute.h"
#include "object/parsed_cache.h"

namespace craton::mech {

using Snapshot = std::shared_ptr<const object::AttributeSet>;

// A key as a family sees it: an immutable attribute snapshot plus the parsed-key cache. The parsed
// form (an EVP_PKEY, an expanded key schedule, ...) is built once per snapshot and shared by every
// operation that uses the same object version; changing or destroying the object makes a new
// snapshot, so a stale parse is never used. The snapshot is kept alive by the KeyRef.
class KeyRef {
 public:
  KeyRef(CK_OBJECT_HANDLE handle, Snapshot attrs) : handle_(handle), attrs_(std::move(attrs)) {
    facts_ = object::key_facts(attrs_);
    if (facts_ == nullptr) {  // not a cached snapshot: read them for this reference alone
      own_facts_ = std::make_shared<const object::KeyFacts>(object::read_key_facts(*attrs_));
      facts_ = own_facts_.get();
    }
  }

  CK_OBJECT_HANDLE handle() const noexcept { return handle_; }
  const object::AttributeSet& attrs() const noexcept { return *attrs_; }
  CK_OBJECT_CLASS object_class() const { return attrs_->get_ulong(CKA_CLASS).value_or(CKO_DATA); }
  CK_KEY_TYPE key_type() const { return facts_->key_type.value_or(CKK_VENDOR_DEFINED); }
  // The answers every Init asks of the key, read once per snapshot (object/key_facts.h).
  const object::KeyFacts& facts() const noexcept { return *facts_; }
  // CKA_VALUE (secret keys), empty when absent.
  std::span<const std::uint8_t> value() const {
    return attrs_->get_bytes(CKA_VALUE).value_or(std::span<const std::uint8_t>{});
  }

  // The parsed form of type T already cached for this snapshot, or null.
  template <class T>
  std::shared_ptr<const T> cached() const {
    std::shared_ptr<const object::ParsedKey> entry = object::parsed_lookup(attrs_);
    if constexpr (std::is_final_v<T>) {
      // An exact type match is a pointer comparison; dynamic_cast would walk the hierarchy.
      if (entry) {
        const object::ParsedKey& e = *entry;  // a plain reference: typeid has no side effects to warn about
        if (typeid(e) == typeid(T)) return std::static_pointer_cast<const T>(std::move(entry));
      }
      return nullptr;
    } else {
      return std::dynamic_pointer_cast<const T>(std::move(entry));
    }
  }

  // The cached parsed form of type T, built by `make(attrs)` on first use.
  template <class T, class Make>
  Result<std::shared_ptr<const T>> parsed(Make&& make) const {
    if (auto hit = cached<T>()) return hit;
    Result<std::shared_ptr<const T>> built = make(*attrs_);
    if (built.ok()) object::parsed_store(attrs_, *built);
    return built;
  }

 private:
  CK_OBJECT_HANDLE handle_;
  Snapshot attrs_;
  const object::KeyFacts* facts_ = nullptr;  // the snapshot's, or own_facts_
  std::shared_ptr<const object::KeyFacts> own_facts_;
};

// Looks up another key named inside a parameter (HKDF salt key, CONCATENATE_BASE_AND_KEY, ...),
// with the same visibility rules as the operation's own key.
using KeyLookup = std::function<Result<KeyRef>(CK_OBJECT_HANDLE)>;

// ---- running operations --------------------------------------------------------------------

class DigestOp : public Operation {
 public:
  static constexpr OpFamily kFamily = OpFamily::kDigest;
  DigestOp() : Operation(kFamily) {}
  using FamilyRoot = DigestOp;  // the class kFamily stands for
  virtual std::size_t digest_size() const = 0;
  virtual Status update(std::span<const std::uint8_t> data) = 0;
  virtual Result<Bytes> finish() = 0;
  // C_GetOperationState: the running state, or CKR_STATE_UNSAVEABLE.
  virtual Result<SecureBytes> save_state() const { return fail(CKR_STATE_UNSAVEABLE, "state cannot be saved"); }
};

// Encryption, decryption, sign-recover and verify-recover. Output sizes are upper bounds for the
// step (the caller's length query); the abi layer keeps an output that did not fit and hands it
// out on the repeated call, so an operation never has to undo a step.
class CipherOp : public Operation {
 public:
  static constexpr OpFamily kFamily = OpFamily::kCipher;
  CipherOp() : Operation(kFamily) {}
  using FamilyRoot = CipherOp;  // the class kFamily stands for
  enum class Step { kSingle, kUpdate, kFinal };
  virtual std::size_t max_output(Step step, std::size_t in_len) const = 0;
  virtual Result<SecureBytes> single(std::span<const std::uint8_t> in) = 0;
  // The single-part step written straight into `out`, which holds at least
  // max_output(kSingle, in.size()) bytes; returns the output length. On failure nothing that
  // was written may remain in `out` (an override must wipe it). The default goes through single().
  virtual Result<std::size_t> single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out);
  // AEAD operations, one whole message with the tag apart from the text (the message-based API).
  // seal_detached: encrypts `in` into out[0, in.size()) and writes the tag (tag.size() bytes, the
  // operation's tag length) to `tag`. open_detached: decrypts `in` into `out` only if `tag` checks
  // (on failure nothing written remains in `out`) and returns the plaintext length.
  // REQUIRES: out.size() >= in.size(). The defaults go through single() with ciphertext || tag.
  virtual Status seal_detached(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, std::span<std::uint8_t> tag);
  virtual Result<std::size_t> open_detached(std::span<const std::uint8_t> in, std::span<const std::uint8_t> tag,
                                            std::span<std::uint8_t> out);
  virtual Result<SecureBytes> update(std::span<const std::uint8_t> in) {
    (void)in;
    return fail(CKR_FUNCTION_NOT_SUPPORTED, "mechanism is single-part only");
  }
  virtual Result<SecureBytes> finish() { return fail(CKR_FUNCTION_NOT_SUPPORTED, "mechanism is single-part only"); }
};

class SignOp : public Operation {
 public:
  static constexpr OpFamily kFamily = OpFamily::kSign;
  SignOp() : Operation(kFamily) {}
  using FamilyRoot = SignOp;  // the class kFamily stands for
  virtual std::size_t signature_size() const = 0;
  virtual Result<Bytes> sign(std::span<const std::uint8_t> data) = 0;
  virtual Status update(std::span<const std::uint8_t> data) = 0;
  virtual Result<Bytes> finish() = 0;
};

// verify()/finish() answer CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE for a bad signature.
class VerifyOp : public Operation {
 public:
  static constexpr OpFamily kFamily = OpFamily::kVerify;
  VerifyOp() : Operation(kFamily) {}
  using FamilyRoot = VerifyOp;  // the class kFamily stands for
  virtual Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) = 0;
  virtual Status update(std::span<const std::uint8_t> data) = 0;
  virtual Status finish(std::span<const std::uint8_t> sig) = 0;
};

// ---- key production -------------------------------------------------------------------------

// Key material produced by a mechanism: CKA_CLASS, CKA_KEY_TYPE and the value attributes
// (CKA_VALUE, CKA_VALUE_LEN, CKA_MODULUS, ...). The template supplies everything else.
struct KeyPairMaterial {
  object::AttributeSet public_key;
  object::AttributeSet private_key;
};

// What C_DeriveKey asks for, read from the template once.
struct DeriveRequest {
  CK_OBJECT_CLASS object_class = CKO_SECRET_KEY;
  CK_KEY_TYPE key_type = CKK_GENERIC_SECRET;
  std::optional<std::size_t> value_len;              // CKA_VALUE_LEN, or implied by the key type
  std::vector<std::optional<std::size_t>> extra_lens;  // additional keys (SP 800-108), in order
  KeyLookup lookup;
};
struct Derived {
  SecureBytes value;
  std::vector<SecureBytes> extra;
  // The mechanism fixes the class of its result (CKM_HKDF_DATA: CKO_DATA).
  std::optional<CK_OBJECT_CLASS> object_class;
  // Keys besides the base whose material went into the result (CKM_CONCATENATE_BASE_AND_KEY).
  // Their CKA_ALWAYS_SENSITIVE / CKA_NEVER_EXTRACTABLE history is combined with the base key's.
  std::vector<KeyRef> other_sources;
  // The result must be protected like its sources (spec for CONCATENATE_* / XOR_BASE_AND_DATA):
  // sensitive if any source is, unextractable if any source is; a template asking otherwise is
  // CKR_TEMPLATE_INCONSISTENT.
  bool inherit_protection = false;
};

struct Encapsulated {
  Bytes ciphertext;
  SecureBytes shared_secret;
};

class Mechanism {
 public:
  virtual ~Mechanism() = default;

  // Key types (CKK_*) this mechanism operates on; consulted before any keyed factory.
  virtual bool accepts_key_type(CK_KEY_TYPE kt) const {
    (void)kt;
    return false;
  }

  virtual Result<std::unique_ptr<DigestOp>> digest(const Params& p) const;
  // Re-creates a digest from save_state() output (already authenticated by the caller).
  virtual Result<std::unique_ptr<DigestOp>> restore_digest(std::span<const std::uint8_t> state) const;
  virtual Result<std::unique_ptr<CipherOp>> encrypt(const Params& p, const KeyRef& key) const;
  virtual Result<std::unique_ptr<CipherOp>> decrypt(const Params& p, const KeyRef& key) const;
  virtual Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const;
  virtual Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const;
  virtual Result<std::unique_ptr<CipherOp>> sign_recover(const Params& p, const KeyRef& key) const;
  virtual Result<std::unique_ptr<CipherOp>> verify_recover(const Params& p, const KeyRef& key) const;

  // `tmpl` is the caller's (already type-checked) template, for CKA_VALUE_LEN, CKA_MODULUS_BITS,
  // CKA_EC_PARAMS, ... The returned material must not be left to the template.
  virtual Result<object::AttributeSet> generate_key(const Params& p, const object::AttributeSet& tmpl) const;
  virtual Result<KeyPairMaterial> generate_key_pair(const Params& p, const object::AttributeSet& public_tmpl,
                                                    const object::AttributeSet& private_tmpl) const;
  // Wraps the encoded key (secret keys: CKA_VALUE; private keys: PKCS#8 PrivateKeyInfo).
  virtual Result<Bytes> wrap(const Params& p, const KeyRef& wrapping_key, std::span<const std::uint8_t> key_bytes) const;
  // `value_len`: the template's CKA_VALUE_LEN, for mechanisms whose output carries the key
  // right-aligned (raw RSA); others leave the truncation to the abi.
  virtual Result<SecureBytes> unwrap(const Params& p, const KeyRef& unwrapping_key, std::span<const std::uint8_t> wrapped,
                                     std::optional<std::size_t> value_len) const;
  virtual Result<Derived> derive(const Params& p, const KeyRef& base, const DeriveRequest& req) const;
  virtual Result<std::size_t> ciphertext_size(const Params& p, const KeyRef& public_key) const;
  virtual Result<Encapsulated> encapsulate(const Params& p, const KeyRef& public_key) const;
  virtual Result<SecureBytes> decapsulate(const Params& p, const KeyRef& private_key,
                                          std::span<const std::uint8_t> ciphertext) const;
};

// One mechanism number as the registry lists it.
struct Registration {
  CK_MECHANISM_TYPE type;
  CK_MECHANISM_INFO info;
  ParamKind params;
  const Mechanism* impl;
};

}  // namespace craton::mech
