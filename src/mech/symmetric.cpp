#include "mech/symmetric.h"

#include <openssl/crypto.h>

#include <cstring>

#include "crypto/ossl/random.h"

namespace craton::mech {
namespace {

using crypto::CipherStream;
using crypto::Direction;

Result<std::shared_ptr<const SecretKey>> parse_secret(const KeyRef& key, bool (*size_ok)(std::size_t)) {
  auto parsed = key.parsed<SecretKey>([](const object::AttributeSet& a) -> Result<std::shared_ptr<const SecretKey>> {
    const auto v = a.get_bytes(CKA_VALUE);
    if (!v) return fail(CKR_KEY_TYPE_INCONSISTENT, "secret key without a value");
    return std::make_shared<const SecretKey>(*v);
  });
  if (parsed.ok() && !size_ok((*parsed)->value().size())) return fail(CKR_KEY_SIZE_RANGE, "key size not supported by the mechanism");
  return parsed;
}

// Both AEAD operations hold the parsed key whose KeyedAead started their stream (declared before
// the stream, so destroyed after it: the stream's context goes back to the key's pool).
class AeadEncryptOp final : public CipherOp {
 public:
  AeadEncryptOp(std::shared_ptr<const SecretKey> key, CipherStream s, std::size_t tag_len)
      : key_(std::move(key)), stream_(std::move(s)), tag_len_(tag_len) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    return step == Step::kUpdate ? n : n + tag_len_;
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    SecureBytes out(in.size() + tag_len_);
    CRATON_ASSIGN_OR_RETURN(std::size_t n, single_into(in, out.span()));
    (void)n;
    return out;
  }
  Result<std::size_t> single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    CRATON_TRY(seal_detached(in, out.first(in.size()), out.subspan(in.size(), tag_len_)));
    return in.size() + tag_len_;
  }
  Status seal_detached(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, std::span<std::uint8_t> tag) override {
    if (tag.size() != tag_len_ || out.size() < in.size()) return fail(CKR_GENERAL_ERROR, "AEAD output buffers mis-sized");
    CRATON_TRY(stream_.update(in, out.first(in.size())));
    return stream_.finish_tag_into(tag);
  }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    SecureBytes out(in.size());
    CRATON_TRY(stream_.update(in, out.span()));
    return out;
  }
  Result<SecureBytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const auto tag, stream_.finish_tag(tag_len_));
    return SecureBytes(tag);
  }

 private:
  std::shared_ptr<const SecretKey> key_;
  CipherStream stream_;
  std::size_t tag_len_;
};

// The tag is the last tag_len bytes of the whole input, which is only known at the end: the input
// is kept until then, and no unauthenticated plaintext ever leaves the operation.
class AeadDecryptOp final : public CipherOp {
 public:
  AeadDecryptOp(std::shared_ptr<const SecretKey> key, CipherStream s, std::size_t tag_len)
      : key_(std::move(key)), stream_(std::move(s)), tag_len_(tag_len) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    if (step == Step::kUpdate) return 0;
    return minus((step == Step::kFinal ? input_.size() : 0) + n, tag_len_);
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override { return open(in); }
  Result<std::size_t> single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    if (in.size() < tag_len_) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "input shorter than the tag");
    const std::size_t n = in.size() - tag_len_;
    return open_detached(in.first(n), in.subspan(n), out);
  }
  Result<std::size_t> open_detached(std::span<const std::uint8_t> in, std::span<const std::uint8_t> tag,
                                    std::span<std::uint8_t> out) override {
    if (tag.size() != tag_len_) return fail(CKR_GENERAL_ERROR, "tag length differs from the operation's");
    if (out.size() < in.size()) return fail(CKR_GENERAL_ERROR, "AEAD output buffer too small");
    const std::size_t n = in.size();
    Status st = stream_.update(in, out.first(n));
    if (st.ok()) st = stream_.finish_check(tag);
    if (!st.ok()) {
      if (n != 0) OPENSSL_cleanse(out.data(), n);  // no unauthenticated plaintext is left with the caller
      return st.error();
    }
    return n;
  }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    input_.append(in);
    return SecureBytes();
  }
  Result<SecureBytes> finish() override { return open(input_.span()); }

 private:
  Result<SecureBytes> open(std::span<const std::uint8_t> in) {
    if (in.size() < tag_len_) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "input shorter than the tag");
    const std::size_t n = in.size() - tag_len_;
    SecureBytes out(n);
    CRATON_TRY(stream_.update(in.first(n), out.span()));
    CRATON_TRY(stream_.finish_check(in.subspan(n)));
    return out;
  }

  std::shared_ptr<const SecretKey> key_;
  CipherStream stream_;
  std::size_t tag_len_;
  SecureBytes input_;
};

}  // namespace

Result<const crypto::KeyedAead*> SecretKey::aead(crypto::CipherKind kind) const {
  // std::call_once costs over a hundred instructions even when done (pthread_once and TLS); the
  // flag, published after aead_ is set, skips it on every use but the first.
  if (!aead_ready_.load(std::memory_order_acquire)) {
    std::call_once(aead_once_, [this, kind] {
      auto k = crypto::KeyedAead::create(kind, value_.span());
      if (k.ok()) {
        aead_.emplace(std::move(*k));
        aead_ready_.store(true, std::memory_order_release);
      } else {
        aead_error_ = k.error();
      }
    });
    if (!aead_) return aead_error_;
  }
  if (aead_->kind() != kind) return fail(CKR_KEY_TYPE_INCONSISTENT, "key set up for another AEAD");
  return &*aead_;
}

Result<const crypto::CmacKey*> SecretKey::cmac() const {
  std::call_once(cmac_once_, [this] {
    auto k = crypto::CmacKey::create(value_.span());
    if (k.ok()) {
      cmac_.emplace(std::move(*k));
    } else {
      cmac_error_ = k.error();
    }
  });
  if (!cmac_) return cmac_error_;
  return &*cmac_;
}

Result<std::shared_ptr<const SecretKey>> aes_key(const KeyRef& key) {
  return parse_secret(key, [](std::size_t n) { return crypto::aes_key_size_ok(n); });
}

Result<std::shared_ptr<const SecretKey>> chacha20_key(const KeyRef& key) {
  return parse_secret(key, [](std::size_t n) { return n == 32; });
}

Result<object::AttributeSet> random_secret_key(CK_KEY_TYPE key_type, std::size_t len) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes value, crypto::random_secret(len));
  object::AttributeSet m;
  m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, key_type));
  m.set(object::Attribute::make_bytes(CKA_VALUE, value.span()));
  m.set(object::Attribute::make_ulong(CKA_VALUE_LEN, static_cast<CK_ULONG>(len)));
  return m;
}

Result<std::optional<std::size_t>> template_value_len(const object::AttributeSet& tmpl) {
  if (!tmpl.contains(CKA_VALUE_LEN)) return std::optional<std::size_t>();
  const auto v = tmpl.get_ulong(CKA_VALUE_LEN);
  if (!v) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN malformed");
  return std::optional<std::size_t>(*v);
}

Result<std::unique_ptr<CipherOp>> aead_operation(crypto::CipherKind kind, std::shared_ptr<const SecretKey> key,
                                                 std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                                 std::size_t tag_len, Direction dir) {
  CRATON_ASSIGN_OR_RETURN(const crypto::KeyedAead* keyed, key->aead(kind));
  CRATON_ASSIGN_OR_RETURN(CipherStream s, keyed->start(iv, aad, dir));
  if (dir == Direction::kEncrypt) {
    return std::unique_ptr<CipherOp>(std::make_unique<AeadEncryptOp>(std::move(key), std::move(s), tag_len));
  }
  return std::unique_ptr<CipherOp>(std::make_unique<AeadDecryptOp>(std::move(key), std::move(s), tag_len));
}

SecureBytes joined(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  SecureBytes out(a.size() + b.size());
  if (!a.empty()) std::memcpy(out.data(), a.data(), a.size());
  if (!b.empty()) std::memcpy(out.data() + a.size(), b.data(), b.size());
  return out;
}

Result<Bytes> DirectionalCipher::wrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> key_bytes) const {
  CRATON_ASSIGN_OR_RETURN(auto op, make(p, key, Direction::kEncrypt));
  CRATON_ASSIGN_OR_RETURN(SecureBytes out, op->single(key_bytes));
  return Bytes(out.span().begin(), out.span().end());
}

Result<SecureBytes> DirectionalCipher::unwrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> wrapped,
                                              std::optional<std::size_t> /*value_len: the abi truncates*/) const {
  CRATON_ASSIGN_OR_RETURN(auto op, make(p, key, Direction::kDecrypt));
  auto out = op->single(wrapped);
  if (out.rv() == CKR_ENCRYPTED_DATA_LEN_RANGE) return fail(CKR_WRAPPED_KEY_LEN_RANGE, "wrapped key length invalid");
  if (out.rv() == CKR_ENCRYPTED_DATA_INVALID) return fail(CKR_WRAPPED_KEY_INVALID, "wrapped key invalid");
  return out;
}

}  // namespace craton::mech
