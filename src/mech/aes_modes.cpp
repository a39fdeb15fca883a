// AES key generation, the unauthenticated block-cipher modes (ECB, CBC, CBC with PKCS#7 padding,
// CTR, CBC-CS3 ciphertext stealing: SP 800-38A and its Addendum), CBC_PAD key wrapping and the
// ECB/CBC_ENCRYPT_DATA key derivations of the PKCS#11 3.2 AES mechanisms.
#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "mech/registry.h"
#include "mech/symmetric.h"

namespace craton::mech {
namespace {

using crypto::CipherKind;
using crypto::CipherStream;
using crypto::Direction;
using crypto::kAesBlockSize;

constexpr CK_RV length_error(Direction dir) {
  return dir == Direction::kEncrypt ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE;
}

// Length of a PKCS#7-padded plaintext whose last block is `last`, checked without branching on
// the padding bytes. Bad padding → CKR_ENCRYPTED_DATA_INVALID.
Result<std::size_t> unpadded_length(std::span<const std::uint8_t> last, std::size_t total) {
  const auto nonzero = [](std::uint32_t x) { return (x | (0U - x)) >> 31; };
  const auto less = [](std::uint32_t a, std::uint32_t b) { return (a - b) >> 31; };
  const std::uint32_t p = last[kAesBlockSize - 1];
  std::uint32_t bad = (1U - nonzero(p)) | less(kAesBlockSize, p);
  for (std::uint32_t i = 0; i < kAesBlockSize; ++i) bad |= less(kAesBlockSize - 1 - i, p) & nonzero(last[i] ^ p);
  if (bad != 0) return fail(CKR_ENCRYPTED_DATA_INVALID, "bad padding");
  return total - p;
}

// ECB, CBC and CBC_PAD. Partial blocks wait in `buffer_`; CBC_PAD decryption also holds back the
// last whole block, whose padding is only known at the end.
class BlockOp final : public CipherOp {
 public:
  BlockOp(CipherStream s, bool pad, Direction dir) : stream_(std::move(s)), pad_(pad), dir_(dir) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    if (step == Step::kSingle) return dir_ == Direction::kEncrypt && pad_ ? (n / kAesBlockSize + 1) * kAesBlockSize : n;
    if (step == Step::kUpdate) return processed_by_update(buffer_.size() + n);
    if (!pad_) return 0;
    return dir_ == Direction::kEncrypt ? kAesBlockSize : minus(buffer_.size(), 1);
  }

  // Straight into the caller's buffer (no intermediate copy: for a 1 MiB message the copy cost as
  // much as the cipher). A failure wipes whatever was written.
  Result<std::size_t> single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    auto n = single_into_unwiped(in, out);
    if (!n.ok()) OPENSSL_cleanse(out.data(), std::min(out.size(), max_output(Step::kSingle, in.size())));
    return n;
  }

  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    if (dir_ == Direction::kEncrypt) {
      if (!pad_) return run_blocks(in, length_error(dir_));
      const std::size_t whole = in.size() - in.size() % kAesBlockSize;
      CRATON_ASSIGN_OR_RETURN(SecureBytes head, run_blocks(in.first(whole), CKR_DATA_LEN_RANGE));
      CRATON_ASSIGN_OR_RETURN(SecureBytes tail, encrypt_padded(in.subspan(whole)));
      return joined(head.span(), tail.span());
    }
    if (pad_ && in.empty()) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "no padded block");
    CRATON_ASSIGN_OR_RETURN(SecureBytes out, run_blocks(in, CKR_ENCRYPTED_DATA_LEN_RANGE));
    if (pad_) {
      CRATON_ASSIGN_OR_RETURN(const std::size_t n, unpadded_length(out.span().last(kAesBlockSize), out.size()));
      out.resize(n);
    }
    return out;
  }

  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    const std::size_t process = processed_by_update(buffer_.size() + in.size());
    if (process == 0) {
      buffer_.append(in);
      return SecureBytes();
    }
    // process >= 16 >= buffer_.size(): the buffered bytes go first, completed to a block from `in`.
    SecureBytes out(process);
    std::size_t done = 0, used = 0;
    if (!buffer_.empty()) {
      used = (kAesBlockSize - buffer_.size() % kAesBlockSize) % kAesBlockSize;  // 0 when a whole block waits
      SecureBytes head = joined(buffer_.span(), in.first(used));
      CRATON_TRY(stream_.update(head.span(), out.span()));
      done = head.size();
    }
    const std::size_t rest = process - done;
    CRATON_TRY(stream_.update(in.subspan(used, rest), out.span().subspan(done)));
    buffer_ = SecureBytes(in.subspan(used + rest));
    return out;
  }

  Result<SecureBytes> finish() override {
    if (!pad_) {
      if (!buffer_.empty()) return fail(length_error(dir_), "input is not a whole number of blocks");
      return SecureBytes();
    }
    if (dir_ == Direction::kEncrypt) return encrypt_padded(buffer_.span());
    if (buffer_.size() != kAesBlockSize) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "input is not a whole number of blocks");
    SecureBytes out(kAesBlockSize);
    CRATON_TRY(stream_.update(buffer_.span(), out.span()));
    CRATON_ASSIGN_OR_RETURN(const std::size_t n, unpadded_length(out.span(), out.size()));
    out.resize(n);
    return out;
  }

 private:
  Result<std::size_t> single_into_unwiped(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
    const bool encrypt = dir_ == Direction::kEncrypt;
    const std::size_t whole = in.size() - in.size() % kAesBlockSize;
    if (whole != in.size() && !(encrypt && pad_)) {
      return fail(encrypt ? length_error(dir_) : CKR_ENCRYPTED_DATA_LEN_RANGE, "input is not a whole number of blocks");
    }
    if (pad_ && !encrypt && in.empty()) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "no padded block");
    if (out.size() < max_output(Step::kSingle, in.size())) return fail(CKR_GENERAL_ERROR, "output buffer below the bound");
    if (!encrypt || !pad_) {
      CRATON_TRY(stream_.update(in, out.first(in.size())));
      if (!pad_) return in.size();
      CRATON_ASSIGN_OR_RETURN(const std::size_t n, unpadded_length(out.subspan(in.size() - kAesBlockSize, kAesBlockSize), in.size()));
      OPENSSL_cleanse(out.data() + n, in.size() - n);  // the padding is not part of the result
      return n;
    }
    // The padded last block is built before the head is written (`out` may be `in` itself) and
    // encrypted after it (CBC chains through the head).
    SecureBytes last = padded_block(in.subspan(whole));
    CRATON_TRY(stream_.update(in.first(whole), out.first(whole)));
    CRATON_TRY(stream_.update(last.span(), out.subspan(whole, kAesBlockSize)));
    return whole + kAesBlockSize;
  }

  // Bytes an update processes when `total` bytes are available (the rest stays buffered).
  std::size_t processed_by_update(std::size_t total) const {
    std::size_t keep = total % kAesBlockSize;
    if (pad_ && dir_ == Direction::kDecrypt && keep == 0) keep = std::min(total, kAesBlockSize);
    return total - keep;
  }
  Result<SecureBytes> run_blocks(std::span<const std::uint8_t> in, CK_RV bad_length) {
    if (in.size() % kAesBlockSize != 0) return fail(bad_length, "input is not a whole number of blocks");
    SecureBytes out(in.size());
    CRATON_TRY(stream_.update(in, out.span()));
    return out;
  }
  // PKCS#7: the last 0..15 bytes completed to a block.
  static SecureBytes padded_block(std::span<const std::uint8_t> partial) {
    SecureBytes block(kAesBlockSize);
    const auto pad = static_cast<std::uint8_t>(kAesBlockSize - partial.size());
    if (!partial.empty()) std::memcpy(block.data(), partial.data(), partial.size());
    std::memset(block.data() + partial.size(), pad, pad);
    return block;
  }
  Result<SecureBytes> encrypt_padded(std::span<const std::uint8_t> partial) {
    const SecureBytes block = padded_block(partial);
    SecureBytes out(kAesBlockSize);
    CRATON_TRY(stream_.update(block.span(), out.span()));
    return out;
  }

  CipherStream stream_;
  bool pad_;
  Direction dir_;
  SecureBytes buffer_;
};

// Bytes the counter block allows before its low `bits` bits would wrap (saturating).
std::uint64_t ctr_budget(std::span<const std::uint8_t> cb, CK_ULONG bits) {
  std::uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) hi = (hi << 8) | cb[i];
  for (int i = 8; i < 16; ++i) lo = (lo << 8) | cb[i];
  constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t blocks = 0;
  if (bits < 64) {
    blocks = (std::uint64_t{1} << bits) - (lo & ((std::uint64_t{1} << bits) - 1));
  } else {
    const std::uint64_t high_mask = bits >= 128 ? ~std::uint64_t{0} : (std::uint64_t{1} << (bits - 64)) - 1;
    if (bits > 64 && (hi & high_mask) != high_mask) return kUnlimited;  // at least 2^64 blocks left
    if (lo == 0) return kUnlimited;
    blocks = 0 - lo;  // 2^64 - lo
  }
  return blocks > kUnlimited / kAesBlockSize ? kUnlimited : blocks * kAesBlockSize;
}

class CtrOp final : public CipherOp {
 public:
  CtrOp(CipherStream s, std::uint64_t budget) : stream_(std::move(s)), budget_(budget) {}
  std::size_t max_output(Step step, std::size_t n) const override { return step == Step::kFinal ? 0 : n; }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override { return update(in); }
  Result<std::size_t> single_into(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) override {
    if (in.size() > budget_ - used_) return fail(CKR_DATA_LEN_RANGE, "the counter would wrap");
    if (out.size() < in.size()) return fail(CKR_GENERAL_ERROR, "output buffer below the bound");
    if (auto st = stream_.update(in, out.first(in.size())); !st.ok()) {
      OPENSSL_cleanse(out.data(), in.size());
      return st.error();
    }
    used_ += in.size();
    return in.size();
  }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    if (in.size() > budget_ - used_) return fail(CKR_DATA_LEN_RANGE, "the counter would wrap");
    SecureBytes out(in.size());
    CRATON_TRY(stream_.update(in, out.span()));
    used_ += in.size();
    return out;
  }
  Result<SecureBytes> finish() override { return SecureBytes(); }

 private:
  CipherStream stream_;
  std::uint64_t budget_;
  std::uint64_t used_ = 0;
};

// CBC-CS3: whole blocks stream through CBC while 17..32 bytes stay buffered; the last two
// (possibly partial) blocks are processed at the end with the chaining value before them.
class CtsOp final : public CipherOp {
 public:
  CtsOp(std::shared_ptr<const SecretKey> key, CipherStream s, std::span<const std::uint8_t> iv, Direction dir)
      : key_(std::move(key)), stream_(std::move(s)), chain_(iv), dir_(dir) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    if (step == Step::kSingle) return n;
    if (step == Step::kUpdate) return lead(buffer_.size() + n);
    return buffer_.size();
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    if (in.size() < kAesBlockSize) return fail(length_error(dir_), "CTS needs at least one block");
    return crypto::aes_cbc_cs3(key_->value(), chain_.span(), in, dir_);
  }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    buffer_.append(in);
    const std::size_t n = lead(buffer_.size());
    if (n == 0) return SecureBytes();
    SecureBytes out(n);
    CRATON_TRY(stream_.update(buffer_.span().first(n), out.span()));
    const SecureBytes& cipher_side = dir_ == Direction::kEncrypt ? out : buffer_;
    chain_ = SecureBytes(cipher_side.span().subspan(n - kAesBlockSize, kAesBlockSize));
    buffer_ = SecureBytes(buffer_.span().subspan(n));
    return out;
  }
  Result<SecureBytes> finish() override {
    if (buffer_.size() < kAesBlockSize) return fail(length_error(dir_), "CTS needs at least one block");
    return crypto::aes_cbc_cs3(key_->value(), chain_.span(), buffer_.span(), dir_);
  }

 private:
  // Whole blocks that can go through plain CBC, leaving 17..32 bytes.
  static std::size_t lead(std::size_t total) {
    return total > 2 * kAesBlockSize ? (total - kAesBlockSize - 1) / kAesBlockSize * kAesBlockSize : 0;
  }

  std::shared_ptr<const SecretKey> key_;
  CipherStream stream_;
  SecureBytes chain_;
  Direction dir_;
  SecureBytes buffer_;
};

Result<std::span<const std::uint8_t>> block_iv(const Params& p) {
  const auto* iv = param_as<BytesParam>(p);
  if (iv == nullptr || iv->data.size() != kAesBlockSize) return fail(CKR_MECHANISM_PARAM_INVALID, "the IV must be 16 bytes");
  return std::span<const std::uint8_t>(iv->data);
}

class AesModeMechanism final : public DirectionalCipher {
 public:
  explicit AesModeMechanism(CK_MECHANISM_TYPE type) : type_(type) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }


 private:
  Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, Direction dir) const override {
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    switch (type_) {
      case CKM_AES_ECB: {
        CRATON_ASSIGN_OR_RETURN(CipherStream s, CipherStream::start(CipherKind::kAesEcb, k->value(), {}, dir));
        return std::unique_ptr<CipherOp>(std::make_unique<BlockOp>(std::move(s), false, dir));
      }
      case CKM_AES_CBC:
      case CKM_AES_CBC_PAD: {
        CRATON_ASSIGN_OR_RETURN(auto iv, block_iv(p));
        CRATON_ASSIGN_OR_RETURN(CipherStream s, CipherStream::start(CipherKind::kAesCbc, k->value(), iv, dir));
        return std::unique_ptr<CipherOp>(std::make_unique<BlockOp>(std::move(s), type_ == CKM_AES_CBC_PAD, dir));
      }
      case CKM_AES_CTS: {
        CRATON_ASSIGN_OR_RETURN(auto iv, block_iv(p));
        CRATON_ASSIGN_OR_RETURN(CipherStream s, CipherStream::start(CipherKind::kAesCbc, k->value(), iv, dir));
        return std::unique_ptr<CipherOp>(std::make_unique<CtsOp>(std::move(k), std::move(s), iv, dir));
      }
      case CKM_AES_CTR: {
        const auto* ctr = param_as<AesCtrParams>(p);
        if (ctr == nullptr || ctr->counter_bits == 0 || ctr->counter_bits > 128 || ctr->counter_block.size() != kAesBlockSize) {
          return fail(CKR_MECHANISM_PARAM_INVALID, "ulCounterBits must be 1..128");
        }
        CRATON_ASSIGN_OR_RETURN(CipherStream s, CipherStream::start(CipherKind::kAesCtr, k->value(), ctr->counter_block, dir));
        return std::unique_ptr<CipherOp>(std::make_unique<CtrOp>(std::move(s), ctr_budget(ctr->counter_block, ctr->counter_bits)));
      }
      default: break;
    }
    return fail(CKR_MECHANISM_INVALID, "not an AES mode");
  }

  CK_MECHANISM_TYPE type_;
};

class AesKeyGen final : public Mechanism {
 public:
  Result<object::AttributeSet> generate_key(const Params&, const object::AttributeSet& tmpl) const override {
    CRATON_ASSIGN_OR_RETURN(const auto len, template_value_len(tmpl));
    if (!len) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required for AES keys");
    if (!crypto::aes_key_size_ok(*len)) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "AES keys are 16, 24 or 32 bytes");
    return random_secret_key(CKK_AES, *len);
  }
};

// CKM_AES_ECB_ENCRYPT_DATA / CKM_AES_CBC_ENCRYPT_DATA: the new key is the encryption of the data.
class AesEncryptDataDerive final : public Mechanism {
 public:
  explicit AesEncryptDataDerive(bool cbc) : cbc_(cbc) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }

  Result<Derived> derive(const Params& p, const KeyRef& base, const DeriveRequest& req) const override {
    std::span<const std::uint8_t> data, iv;
    if (cbc_) {
      const auto* c = param_as<AesCbcEncryptDataParams>(p);
      if (c == nullptr || c->iv.size() != kAesBlockSize) return fail(CKR_MECHANISM_PARAM_INVALID, "CBC_ENCRYPT_DATA parameter");
      data = c->data;
      iv = c->iv;
    } else {
      const auto* b = param_as<BytesParam>(p);
      if (b == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "ECB_ENCRYPT_DATA parameter");
      data = b->data;
    }
    if (data.empty() || data.size() % kAesBlockSize != 0) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "the data must be a non-empty multiple of 16 bytes");
    }
    if (req.value_len && (*req.value_len == 0 || *req.value_len > data.size())) {
      return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the encrypted data");
    }
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(base));
    CRATON_ASSIGN_OR_RETURN(CipherStream s, CipherStream::start(cbc_ ? CipherKind::kAesCbc : CipherKind::kAesEcb, k->value(),
                                                                iv, Direction::kEncrypt));
    Derived d;
    d.value = SecureBytes(data.size());
    CRATON_TRY(s.update(data, d.value.span()));
    if (req.value_len) d.value.resize(*req.value_len);
    return d;
  }

 private:
  bool cbc_;
};

}  // namespace

std::vector<Registration> aes_mode_mechanisms() {
  static const AesKeyGen keygen;
  static const AesModeMechanism ecb(CKM_AES_ECB), cbc(CKM_AES_CBC), cbc_pad(CKM_AES_CBC_PAD), ctr(CKM_AES_CTR),
      cts(CKM_AES_CTS);
  static const AesEncryptDataDerive ecb_data(false), cbc_data(true);
  constexpr CK_FLAGS kCipher = CKF_ENCRYPT | CKF_DECRYPT;
  return {
      {CKM_AES_KEY_GEN, {16, 32, CKF_GENERATE}, ParamKind::kNone, &keygen},
      {CKM_AES_ECB, {16, 32, kCipher}, ParamKind::kNone, &ecb},
      {CKM_AES_CBC, {16, 32, kCipher}, ParamKind::kBytes, &cbc},
      {CKM_AES_CBC_PAD, {16, 32, kCipher | CKF_WRAP | CKF_UNWRAP}, ParamKind::kBytes, &cbc_pad},
      {CKM_AES_CTR, {16, 32, kCipher}, ParamKind::kAesCtr, &ctr},
      {CKM_AES_CTS, {16, 32, kCipher}, ParamKind::kBytes, &cts},
      {CKM_AES_ECB_ENCRYPT_DATA, {16, 32, CKF_DERIVE}, ParamKind::kKeyDerivationString, &ecb_data},
      {CKM_AES_CBC_ENCRYPT_DATA, {16, 32, CKF_DERIVE}, ParamKind::kAesCbcEncryptData, &cbc_data},
  };
}

}  // namespace craton::mech
