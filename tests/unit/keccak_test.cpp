// FIPS 202 known answers for src/crypto/pqc/keccak, plus differential tests against OpenSSL's EVP
// SHA-3 / SHAKE (an independent implementation) over lengths around every rate boundary, and the
// incremental absorb / squeeze / fork properties the PQC code relies on.
#include "crypto/pqc/keccak.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ossl/scopers.h"

namespace craton::crypto::pqc {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::string to_hex(std::span<const std::uint8_t> b) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string s;
  for (const std::uint8_t v : b) {
    s.push_back(kDigits[v >> 4]);
    s.push_back(kDigits[v & 0x0F]);
  }
  return s;
}

Bytes bytes(std::string_view s) { return {s.begin(), s.end()}; }

Bytes random_bytes(std::mt19937& rng, std::size_t n) {
  Bytes b(n);
  for (auto& v : b) v = static_cast<std::uint8_t>(rng());
  return b;
}

enum class Alg { kSha3_256, kSha3_512, kShake128, kShake256 };

const EVP_MD* evp_md(Alg alg) {
  switch (alg) {
    case Alg::kSha3_256: return EVP_sha3_256();
    case Alg::kSha3_512: return EVP_sha3_512();
    case Alg::kShake128: return EVP_shake128();
    case Alg::kShake256: return EVP_shake256();
  }
  return nullptr;
}

std::size_t rate_of(Alg alg) {
  switch (alg) {
    case Alg::kSha3_256: return 136;
    case Alg::kSha3_512: return 72;
    case Alg::kShake128: return 168;
    case Alg::kShake256: return 136;
  }
  return 0;
}

bool is_xof(Alg alg) { return alg == Alg::kShake128 || alg == Alg::kShake256; }

Bytes openssl_digest(Alg alg, std::span<const std::uint8_t> msg, std::size_t out_len) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EXPECT_TRUE(ctx);
  EXPECT_EQ(EVP_DigestInit_ex(ctx.get(), evp_md(alg), nullptr), 1);
  EXPECT_EQ(EVP_DigestUpdate(ctx.get(), msg.data(), msg.size()), 1);
  Bytes out(out_len);
  if (is_xof(alg)) {
    EXPECT_EQ(EVP_DigestFinalXOF(ctx.get(), out.data(), out.size()), 1);
  } else {
    unsigned len = 0;
    EXPECT_EQ(EVP_DigestFinal_ex(ctx.get(), out.data(), &len), 1);
    EXPECT_EQ(len, out_len);
  }
  return out;
}

Bytes our_digest(Alg alg, std::span<const std::uint8_t> msg, std::size_t out_len) {
  Bytes out(out_len);
  switch (alg) {
    case Alg::kSha3_256: {
      const auto d = sha3_256(msg);
      out.assign(d.begin(), d.end());
      break;
    }
    case Alg::kSha3_512: {
      const auto d = sha3_512(msg);
      out.assign(d.begin(), d.end());
      break;
    }
    case Alg::kShake128: shake128(msg, out); break;
    case Alg::kShake256: shake256(msg, out); break;
  }
  return out;
}

// A raw sponge with the parameters of `alg`, for the chunking tests.
Sponge make_sponge(Alg alg) { return Sponge(rate_of(alg), is_xof(alg) ? 0x1F : 0x06); }

// Absorbs msg in the chunk sizes produced by next_chunk(), then squeezes out_len bytes at once.
template <class NextChunk>
Bytes absorb_chunked(Alg alg, std::span<const std::uint8_t> msg, std::size_t out_len,
                     NextChunk next_chunk) {
  Sponge s = make_sponge(alg);
  std::size_t i = 0;
  while (i < msg.size()) {
    const std::size_t n = std::min(next_chunk(), msg.size() - i);
    s.absorb(msg.subspan(i, n));
    i += n;
  }
  s.absorb({});  // empty absorbs are harmless
  Bytes out(out_len);
  s.squeeze(out);
  return out;
}

template <class NextChunk>
Bytes squeeze_chunked(Alg alg, std::span<const std::uint8_t> msg, std::size_t out_len,
                      NextChunk next_chunk) {
  Sponge s = make_sponge(alg);
  s.absorb(msg);
  Bytes out(out_len);
  std::span<std::uint8_t> rest(out);
  while (!rest.empty()) {
    const std::size_t n = std::min(next_chunk(), rest.size());
    s.squeeze(rest.first(n));
    rest = rest.subspan(n);
  }
  return out;
}

constexpr Alg kAllAlgs[] = {Alg::kSha3_256, Alg::kSha3_512, Alg::kShake128, Alg::kShake256};

std::size_t digest_len(Alg alg) {
  return alg == Alg::kSha3_256 ? 32 : alg == Alg::kSha3_512 ? 64 : 0;
}

TEST(KeccakKat, EmptyMessage) {
  EXPECT_EQ(to_hex(sha3_256({})),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(to_hex(sha3_512({})),
            "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
            "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
  Bytes out(32);
  shake128({}, out);
  EXPECT_EQ(to_hex(out), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  shake256({}, out);
  EXPECT_EQ(to_hex(out), "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
}

TEST(KeccakKat, Abc) {
  EXPECT_EQ(to_hex(sha3_256(bytes("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST(KeccakKat, WrapperClassesMatchOneShots) {
  const Bytes msg = bytes("abc");
  Sha3_256 h256;
  h256.absorb(msg);
  std::array<std::uint8_t, 32> d256{};
  h256.finalize(d256);
  EXPECT_EQ(d256, sha3_256(msg));
  // finalize() leaves the object untouched: repeatable, and absorbing may continue.
  std::array<std::uint8_t, 32> again{};
  h256.finalize(again);
  EXPECT_EQ(again, d256);
  h256.absorb(msg);
  h256.finalize(again);
  EXPECT_EQ(again, sha3_256(bytes("abcabc")));

  Sha3_512 h512;
  h512.absorb(msg);
  std::array<std::uint8_t, 64> d512{};
  h512.finalize(d512);
  EXPECT_EQ(d512, sha3_512(msg));

  Shake128 x128;
  x128.absorb(msg);
  Bytes a(100);
  Bytes b(100);
  x128.squeeze(a);
  shake128(msg, b);
  EXPECT_EQ(a, b);
  Shake256 x256;
  x256.absorb(msg);
  x256.squeeze(a);
  shake256(msg, b);
  EXPECT_EQ(a, b);
}

TEST(KeccakSponge, RejectsBadRate) {
  EXPECT_THROW(Sponge(0, 0x06), std::invalid_argument);
  EXPECT_THROW(Sponge(200, 0x06), std::invalid_argument);
  EXPECT_THROW(Sponge(137, 0x06), std::invalid_argument);
}

// Every message length 0..600 (which covers rate-1, rate, rate+1 and 2*rate for all four rates
// except 2*168 + 1 and up), plus each multiple of the rate +-2 up to four blocks.
TEST(KeccakVsOpenssl, MessageLengthsAroundRateBoundaries) {
  std::mt19937 rng(202);
  for (const Alg alg : kAllAlgs) {
    const std::size_t rate = rate_of(alg);
    std::vector<std::size_t> lengths;
    for (std::size_t len = 0; len <= 600; ++len) lengths.push_back(len);
    for (std::size_t k = 1; k <= 4; ++k) {
      for (std::size_t d = 0; d <= 4; ++d) lengths.push_back(k * rate + d - 2);
    }
    for (const std::size_t len : lengths) {
      const Bytes msg = random_bytes(rng, len);
      const std::size_t out_len = is_xof(alg) ? 64 : digest_len(alg);
      EXPECT_EQ(our_digest(alg, msg, out_len), openssl_digest(alg, msg, out_len))
          << "alg " << static_cast<int>(alg) << " len " << len;
    }
  }
}

TEST(KeccakVsOpenssl, XofOutputLengths) {
  std::mt19937 rng(203);
  for (const Alg alg : {Alg::kShake128, Alg::kShake256}) {
    const std::size_t rate = rate_of(alg);
    std::vector<std::size_t> out_lens = {0,        1,        rate - 1, rate,    rate + 1,
                                         2 * rate, 3 * rate + 5, 999,  1000};
    std::uniform_int_distribution<std::size_t> any_len(0, 1000);
    for (int i = 0; i < 30; ++i) out_lens.push_back(any_len(rng));
    for (const std::size_t out_len : out_lens) {
      const Bytes msg = random_bytes(rng, any_len(rng) % 601);
      EXPECT_EQ(our_digest(alg, msg, out_len), openssl_digest(alg, msg, out_len))
          << "alg " << static_cast<int>(alg) << " out_len " << out_len;
    }
  }
}

TEST(KeccakIncremental, AbsorbInChunksMatchesOneShot) {
  std::mt19937 rng(204);
  for (const Alg alg : kAllAlgs) {
    const std::size_t rate = rate_of(alg);
    for (const std::size_t len : {std::size_t{0}, rate - 1, rate, rate + 1, 2 * rate,
                                  std::size_t{600}}) {
      const Bytes msg = random_bytes(rng, len);
      const std::size_t out_len = is_xof(alg) ? 200 : digest_len(alg);
      const Bytes expected = our_digest(alg, msg, out_len);
      EXPECT_EQ(absorb_chunked(alg, msg, out_len, [] { return std::size_t{1}; }), expected);
      EXPECT_EQ(absorb_chunked(alg, msg, out_len, [rate] { return rate; }), expected);
      EXPECT_EQ(absorb_chunked(alg, msg, out_len, [rate] { return rate - 1; }), expected);
      std::uniform_int_distribution<std::size_t> chunk(0, 2 * rate);
      for (int rep = 0; rep < 5; ++rep) {
        EXPECT_EQ(absorb_chunked(alg, msg, out_len, [&] { return chunk(rng); }), expected)
            << "alg " << static_cast<int>(alg) << " len " << len;
      }
    }
  }
}

TEST(KeccakIncremental, SqueezeInChunksMatchesOneSqueeze) {
  std::mt19937 rng(205);
  for (const Alg alg : {Alg::kShake128, Alg::kShake256}) {
    const Bytes msg = random_bytes(rng, 50);
    constexpr std::size_t kOutLen = 1000;
    const Bytes expected = openssl_digest(alg, msg, kOutLen);
    EXPECT_EQ(squeeze_chunked(alg, msg, kOutLen, [] { return std::size_t{1}; }), expected);
    EXPECT_EQ(squeeze_chunked(alg, msg, kOutLen, [] { return std::size_t{168}; }), expected);
    EXPECT_EQ(squeeze_chunked(alg, msg, kOutLen, [] { return std::size_t{7}; }), expected);
    std::uniform_int_distribution<std::size_t> chunk(0, 400);
    for (int rep = 0; rep < 10; ++rep) {
      EXPECT_EQ(squeeze_chunked(alg, msg, kOutLen, [&] { return chunk(rng); }), expected);
    }
  }
}

TEST(KeccakIncremental, CopyMidAbsorbForksState) {
  std::mt19937 rng(206);
  for (const Alg alg : kAllAlgs) {
    const Bytes prefix = random_bytes(rng, 150);
    const Bytes suffix_a = random_bytes(rng, 77);
    const std::size_t out_len = is_xof(alg) ? 300 : digest_len(alg);
    Sponge original = make_sponge(alg);
    original.absorb(prefix);
    Sponge copy = original;  // NOLINT(performance-unnecessary-copy-initialization): the point
    Sponge assigned = make_sponge(alg);
    assigned = original;

    Bytes whole = prefix;
    whole.insert(whole.end(), suffix_a.begin(), suffix_a.end());
    const Bytes expected = openssl_digest(alg, whole, out_len);
    for (Sponge* s : {&original, &copy, &assigned}) {
      s->absorb(suffix_a);
      Bytes out(out_len);
      s->squeeze(out);
      EXPECT_EQ(out, expected) << "alg " << static_cast<int>(alg);
    }
  }
}

TEST(KeccakIncremental, CopyMidSqueezeContinuesIdentically) {
  Shake256 a;
  a.absorb(bytes("fork me"));
  Bytes first(100);
  a.squeeze(first);
  Shake256 b = a;
  Bytes out_a(300);
  Bytes out_b(300);
  a.squeeze(out_a);
  b.squeeze(out_b);
  EXPECT_EQ(out_a, out_b);
  Bytes whole = first;
  whole.insert(whole.end(), out_a.begin(), out_a.end());
  EXPECT_EQ(whole, openssl_digest(Alg::kShake256, bytes("fork me"), 400));
}

#ifdef NDEBUG
// Release builds turn absorb-after-squeeze into a no-op instead of corrupting the output stream.
TEST(KeccakSponge, AbsorbAfterSqueezeIsIgnoredInRelease) {
  Sponge s(168, 0x1F);
  Bytes first(10);
  s.squeeze(first);
  s.absorb(bytes("ignored"));
  EXPECT_TRUE(s.squeezing());
  Bytes rest(90);
  s.squeeze(rest);
  first.insert(first.end(), rest.begin(), rest.end());
  EXPECT_EQ(first, openssl_digest(Alg::kShake128, {}, 100));
}
#else
TEST(KeccakSpongeDeathTest, AbsorbAfterSqueezeAsserts) {
  Sponge s(168, 0x1F);
  Bytes out(10);
  s.squeeze(out);
  EXPECT_DEATH(s.absorb(bytes("x")), "absorb after squeeze");
}
#endif

// Informational only (never asserts): SHAKE256 over 1 MiB, ours vs OpenSSL.
TEST(KeccakSpeed, Shake256OneMebibyte) {
  const Bytes msg(std::size_t{1} << 20, 0xA5);
  Bytes out(64);
  const auto time_ms = [](auto&& fn) {
    fn();  // warm-up
    const auto t0 = std::chrono::steady_clock::now();
    constexpr int kReps = 5;
    for (int i = 0; i < kReps; ++i) fn();
    const std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
    return dt.count() / kReps;
  };
  const double ours = time_ms([&] { shake256(msg, out); });
  const double ossl = time_ms([&] { (void)openssl_digest(Alg::kShake256, msg, 64); });
  std::printf("[ info ] SHAKE256(1 MiB): craton %.2f ms (%.0f MiB/s), OpenSSL %.2f ms (%.0f MiB/s)\n",
              ours, 1000.0 / ours, ossl, 1000.0 / ossl);
}

}  // namespace
}  // namespace craton::crypto::pqc
