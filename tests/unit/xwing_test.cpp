// Unit tests for X-Wing (draft-connolly-cfrg-xwing-kem-10): the draft's Appendix C vectors
// (derandomized key generation, encapsulation, decapsulation), round trips, implicit rejection,
// lengths, the FIPS 203 §7.2 check, and low-order X25519 inputs checked against the combiner
// computed here from its definition.
//
// The vectors below are the first two of the -10 draft's Appendix C (hex, copied from the text).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "crypto/hybrid/xwing.h"
#include "crypto/ossl/scopers.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem.h"

namespace craton::crypto::hybrid {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(std::string_view h) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    return static_cast<std::uint8_t>(c - 'A' + 10);
  };
  Bytes out(h.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>((nibble(h[2 * i]) << 4) | nibble(h[2 * i + 1]));
  }
  return out;
}

Bytes bytes_of(const SecureBytes& s) {
  const auto sp = s.span();
  return Bytes(sp.begin(), sp.end());
}

// ---- Appendix C vectors ------------------------------------------------------------------------
constexpr std::string_view kV1Seed =
    "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26";
constexpr std::string_view kV1Pk =
    "e2236b35a8c24b39b10aa1323a96a919a2ced88400633a7b07131713fc14b2b5b19cfc3da5fa1a92c49f25513e0fd30d"
    "6b1611c9ab9635d7086727a4b7d21d34244e66969cf15b3b2a785329f61b096b277ea037383479a6b556de7231fe4b7f"
    "a9c9ac24c0699a0018a5253401bacfa905ca816573e56a2d2e067e9b7287533ba13a937dedb31fa44baced4076992361"
    "0034ae31e619a170245199b3c5c39864859fe1b4c9717a07c30495bdfb98a0a002ccf56c1286cef5041dede3c44cf16b"
    "f562c7448518026b3d8b9940680abd38a1575fd27b58da063bfac32c39c30869374c05c1aeb1898b6b303cc68be45534"
    "6ee0af699636224a148ca2aea10463111c709f69b69c70ce8538746698c4c60a9aef0030c7924ceec42a5d36816f545e"
    "ae13293460b3acb37ea0e13d70e4aa78686da398a8397c08eaf96882113fe4f7bad4da40b0501e1c753efe73053c8701"
    "4e8661c33099afe8bede414a5b1aa27d8392b3e131e9a70c1055878240cad0f40d5fe3cdf85236ead97e2a97448363b2"
    "808caafd516cd25052c5c362543c2517e4acd0e60ec07163009b6425fc32277acee71c24bab53ed9f29e74c66a0a3564"
    "955998d76b96a9a8b50d1635a4d7a67eb42df5644d330457293a8042f53cc7a69288f17ed55827e82b28e82665a86a14"
    "fbd96645eca8172c044f83bc0d8c0b4c8626985631ca87af829068f1358963cb333664ca482763ba3b3bb208577f9ba6"
    "ac62c25f76592743b64be519317714cb4102cb7b2f9a25b2b4f0615de31decd9ca55026d6da0b65111b16fe52feed8a4"
    "87e144462a6dba93728f500b6ffc49e515569ef25fed17aff520507368253525860f58be3be61c964604a6ac814e6935"
    "596402a520a4670b3d284318866593d15a4bb01c35e3e587ee0c67d2880d6f2407fb7a70712b838deb96c5d7bf2b44bc"
    "f6038ccbe33fbcf51a54a584fe90083c91c7a6d43d4fb15f48c60c2fd66e0a8aad4ad64e5c42bb8877c0ebec2b5e387c"
    "8a988fdc23beb9e16c8757781e0a1499c61e138c21f216c29d076979871caa6942bafc090544bee99b54b16cb9a9a364"
    "d6246d9f42cce53c66b59c45c8f9ae9299a75d15180c3c952151a91b7a10772429dc4cbae6fcc622fa8018c63439f890"
    "630b9928db6bb7f9438ae4065ed34d73d486f3f52f90f0807dc88dfdd8c728e954f1ac35c06c000ce41a0582580e3bb5"
    "7b672972890ac5e7988e7850657116f1b57d0809aaedec0bede1ae148148311c6f7e317346e5189fb8cd635b986f8c0b"
    "dd27641c584b778b3a911a80be1c9692ab8e1bbb12839573cce19df183b45835bbb55052f9fc66a1678ef2a36dea7841"
    "1e6c8d60501b4e60592d13698a943b509185db912e2ea10be06171236b327c71716094c964a68b03377f513a05bcd99c"
    "1f346583bb052977a10a12adfc758034e5617da4c1276585e5774e1f3b9978b09d0e9c44d3bc86151c43aad185712717"
    "340223ac381d21150a04294e97bb13bbda21b5a182b6da969e19a7fd072737fa8e880a53c2428e3d049b7d2197405296"
    "ddb361912a7bcf4827ced611d0c7a7da104dde4322095339f64a61d5bb108ff0bf4d780cae509fb22c256914193ff734"
    "9042581237d522828824ee3bdfd07fb03f1f942d2ea179fe722f06cc03de5b69859edb06eff389b27dce598445702162"
    "23593d4ba32d9abac8cd049040ef6534";
constexpr std::string_view kV1Eseed =
    "3cb1eea988004b93103cfb0aeefd2a686e01fa4a58e8a3639ca8a1e3f9ae57e235b8cc873c23dc62b8d260169afa2f75"
    "ab916a58d974918835d25e6a435085b2";
constexpr std::string_view kV1Ct =
    "b83aa828d4d62b9a83ceffe1d3d3bb1ef31264643c070c5798927e41fb07914a273f8f96e7826cd5375a283d7da88530"
    "4c5de0516a0f0654243dc5b97f8bfeb831f68251219aabdd723bc6512041acbaef8af44265524942b902e68ffd23221c"
    "da70b1b55d776a92d1143ea3a0c475f63ee6890157c7116dae3f62bf72f60acd2bb8cc31ce2ba0de364f52b8ed38c79d"
    "719715963a5dd3842d8e8b43ab704e4759b5327bf027c63c8fa857c4908d5a8a7b88ac7f2be394d93c3706ddd4e698cc"
    "6ce370101f4d0213254238b4a2e8821b6e414a1cf20f6c1244b699046f5a01caa0a1a55516300b40d2048c77cc73afba"
    "79afeea9d2c0118bdf2adb8870dc328c5516cc45b1a2058141039e2c90a110a9e16b318dfb53bd49a126d6b73f215787"
    "517b8917cc01cabd107d06859854ee8b4f9861c226d3764c87339ab16c3667d2f49384e55456dd40414b70a6af841585"
    "f4c90c68725d57704ee8ee7ce6e2f9be582dbee985e038ffc346ebfb4e22158b6c84374a9ab4a44e1f91de5aac5197f8"
    "9bc5e5442f51f9a5937b102ba3beaebf6e1c58380a4a5fedce4a4e5026f88f528f59ffd2db41752b3a3d90efabe46389"
    "9b7d40870c530c8841e8712b733668ed033adbfafb2d49d37a44d4064e5863eb0af0a08d47b3cc888373bc05f7a33b84"
    "1bc2587c57eb69554e8a3767b7506917b6b70498727f16eac1a36ec8d8cfaf751549f2277db277e8a55a9a5106b23a02"
    "06b4721fa9b3048552c5bd5b594d6e247f38c18c591aea7f56249c72ce7b117afcc3a8621582f9cf71787e183dee0936"
    "7976e98409ad9217a497df888042384d7707a6b78f5f7fb8409e3b535175373461b776002d799cbad62860be70573ecb"
    "e13b246e0da7e93a52168e0fb6a9756b895ef7f0147a0dc81bfa644b088a9228160c0f9acf1379a2941cd28c06ebc80e"
    "44e17aa2f8177010afd78a97ce0868d1629ebb294c5151812c583daeb88685220f4da9118112e07041fcc24d5564a99f"
    "dbde28869fe0722387d7a9a4d16e1cc8555917e09944aa5ebaaaec2cf62693afad42a3f518fce67d273cc6c9fb5472b3"
    "80e8573ec7de06a3ba2fd5f931d725b493026cb0acbd3fe62d00e4c790d965d7a03a3c0b4222ba8c2a9a16e2ac658f57"
    "2ae0e746eafc4feba023576f08942278a041fb82a70a595d5bacbf297ce2029898a71e5c3b0d1c6228b485b1ade509b3"
    "5fbca7eca97b2132e7cb6bc465375146b7dceac969308ac0c2ac89e7863eb8943015b24314cafb9c7c0e85fe543d5665"
    "8c213632599efabfc1ec49dd8c88547bb2cc40c9d38cbd3099b4547840560531d0188cd1e9c23a0ebee0a03d5577d66b"
    "1d2bcb4baaf21cc7fef1e03806ca96299df0dfbc56e1b2b43e4fc20c37f834c4af62127e7dae86c3c25a2f696ac8b589"
    "dec71d595bfbe94b5ed4bc07d800b330796fda89edb77be0294136139354eb8cd37591578f9c600dd9be8ec6219fdd50"
    "7adf3397ed4d68707b8d13b24ce4cd8fb22851bfe9d632407f31ed6f7cb1600de56f17576740ce2a32fc5145030145cf"
    "b97e63e0e41d354274a079d3e6fb2e15";
constexpr std::string_view kV1Ss =
    "d2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384";
constexpr std::string_view kV2Seed =
    "badfd6dfaac359a5efbb7bcc4b59d538df9a04302e10c8bc1cbf1a0b3a5120ea";
constexpr std::string_view kV2Pk =
    "0333285fa253661508c9fb444852caa4061636cb060e69943b431400134ae1fbc02287247cb38068bbb89e6714af10a3"
    "fcda6613acc4b5e4b0d6eb960c302a0253b1f507b596f0884d351da89b01c35543214c8e542390b2bc497967961ef102"
    "86879c34316e6483b644fc27e8019d73024ba1d1cc83650bb068a5431b33d1221b3d122dc1239010a55cb13782140893"
    "f30aca7c09380255a0c621602ffbb6a9db064c1406d12723ab3bbe2950a21fe521b160b30b16724cc359754b4c883426"
    "51333ea9412d5137791cf75558ebc5c54c520dd6c622a059f6b332ccebb9f24103e59a297cd69e4a48a3bfe53a595855"
    "9e840db5c023f66c10ce23081c2c8261d744799ba078285cfa71ac51f44708d0a6212c3993340724b3ac38f63e82a889"
    "a4fc581f6b8353cc6233ac8f5394b6cca292f892360570a3031c90c4da3f02a895677390e60c24684a405f69ccf1a7b9"
    "5312a47c844a4f9c2c4a37696dc10072a87bf41a2717d45b2a99ce09a4898d5a3f6b67085f9a626646bcf369982d4839"
    "72b9cd7d244c4f49970f766a22507925eca7df99a491d80c27723e84c7b49b633a46b46785a16a41e02c538251622117"
    "364615d9c2cdaa1687a860c18bfc9ce8690efb2a524cb97cdfd1a4ea661fa7d08817998af838679b07c9db8455e2167a"
    "67c14d6a347522e89e8971270bec858364b1c1023b82c483cf8a8b76f040fe41c24dec2d49f6376170660605b8038339"
    "1c4abad1136d874a77ef73b440758b6e7059add20873192e6e372e069c22c5425188e5c240cb3a6e29197ad17e87ec41"
    "a813af68531f262a6db25bbdb8a15d2ed9c9f35b9f2063890bd26ef09426f225aa1e6008d31600a29bcdf3b10d0bc727"
    "88d35e25f4976b3ca6ac7cbf0b442ae399b225d9714d0638a864bda7018d3b7c793bd2ace6ac68f4284d10977cc029cf"
    "203c5698f15a06b162d6c8b4fd40c6af40824f9c6101bb94e9327869ab7efd835dfc805367160d6c8571e3643ac70cba"
    "d5b96a1ad99352793f5af71705f95126cb4787392e94d808491a2245064ba5a7a30c066301392a6c315336e10dbc9c21"
    "77c7af382765b6c88eeab51588d01d6a95747f3652dc5b5c401a23863c7a0343737c737c99287a40a90896d4594730b5"
    "52b910d23244684206f0eb842fb9aa316ab182282a75fb72b6806cea4774b822169c386a58773c3edc8229d85905abb8"
    "7ac228f0f7a2ce9a497bb5325e17a6a82777a997c036c3b862d29c14682ad325a9600872f3913029a1588648ba590a71"
    "57809ff740b5138380015c40e9fb90f0311107946f28e5962e21666ad65092a3a60480cd16e61ff7fb5b44b70cf12201"
    "878428ef8067fceb1e1dcb49d66c773d312c7e53238cb620e126187009472d41036b702032411dc96cb750631df9d994"
    "52e495deb4300df660c8d35f32b424e98c7ed14b12d8ab11a289ac63c50a24d52925950e49ba6bf4c2c38953c92d60b6"
    "cd034e575c711ac41bfa66951f62b9392828d7b45aed377ac69c35f1c6b80f388f34e0bb9ce8167eb2bc630382825c39"
    "6a407e905108081b444ac8a07c2507376a750d18248ee0a81c4318d9a38fc44c3b41e8681f87c34138442659512c4127"
    "6e1cc8fc4eb66e12727bcb5a9e0e405cdea21538d6ea885ab169050e6b91e1b69f7ed34bcbb48fd4c562a576549f85b5"
    "28c953926d96ea8a160b8843f1c89c62";
constexpr std::string_view kV2Eseed =
    "17cda7cfad765f5623474d368ccca8af0007cd9f5e4c849f167a580b14aabdefaee7eef47cb0fca9767be1fda69419df"
    "b927e9df07348b196691abaeb580b32d";
constexpr std::string_view kV2Ct =
    "c93beb22326705699bbc3d1d0aa6339be7a405debe61a7c337e1a91453c097a6f77c130639d1aaeb193175f1a987aa1f"
    "d789a63c9cd487ebd6965f5d8389c8d7c8cfacbba4b44d2fbe0ae84de9e96fb11215d9b76acd51887b752329c1a3e046"
    "8ccc49392c1e0f1aad61a73c10831e60a9798cb2e7ec07596b5803db3e243ecbb94166feade0c9197378700f8eb65a43"
    "502bbac4605992e2de2b906ab30ba401d7e1ff3c98f42cfc4b30b974d3316f331461ac05f43e0db7b41d3da702a4f567"
    "b6ee7295199c7be92f6b4a47e7307d34278e03c872fb48647c446a64a3937dccd7c6d8de4d34b9dea45a0b065ef15b9e"
    "94d1b6df6dca7174d9bc9d14c6225e3a78a58785c3fe4e2fe6a0706f3365389e4258fbb61ecf1a1957715982b3f18444"
    "24e03acd83da7eee50573f6cd3ff396841e9a00ad679da92274129da277833d0524674feea09a98d25b888616f338412"
    "d8e65e151e65736c8c6fb448c9260fa20e7b2712148bcd3a0853865f50c1fc9e4f201aee3757120e034fd509d954b7a7"
    "49ff776561382c4cb64cebcbb6aa82d04cd5c2b40395ecaf231bde8334ecfd955d09efa8c6e7935b1cb0298fb8b6740b"
    "e4593360eed5f129d59d98822a6cea37c57674e919e84d6b90f695fca58e7d29092bd70f7c97c6dfb021b9f87216a627"
    "1d8b144a364d03b6bf084f972dc59800b14a2c008bbd0992b5b82801020978f2bdddb3ca3367d876cffb3548dab695a2"
    "9882cae2eb5ba7c847c3c71bd0150fa9c33aac8e6240e0c269b8e295ddb7b77e9c17bd310be65e28c0802136d086777b"
    "e5652d6f1ac879d3263e9c712d1af736eac048fe848a577d6afaea1428dc71db8c430edd7b584ae6e6aeaf7257aff0fd"
    "8fe25c30840e30ccfa1d95118ef0f6657367e9070f3d97a2e9a7bae19957bd707b00e31b6b0ebb9d7df4bd22e44c0608"
    "30a194b5b8288353255b52954ff5905ab2b126d9aa049e44599368c27d6cb033eae5182c2e1504ee4e3745f51488997b"
    "8f958f0209064f6f44a7e4de5226d5594d1ad9b42ac59a2d100a2f190df873a2e141552f33c923b4c927e8747c6f830c"
    "441a8bd3c5b371f6b3ab8103ebcfb18543aefc1beb6f776bbfd5344779f4aa23daaf395f69ec31dc046b491f0e5cc9c6"
    "51dfc306bd8f2105be7bc7a4f4e21957f87278c771528a8740a92e2daefa76a3525f1fae17ec4362a2700988001d8600"
    "11d6ca3a95f79a0205bcf634cef373a8ea273ff0f4250eb8617d0fb92102a6aa09cf0c3ee2cad1ad96438c8e4dfd6ee0"
    "fcc85833c3103dd6c1600cd305bc2df4cda89b55ca237a3f9c3f82390074ff30825fc750130ebaf13d0cf7556d2c52a9"
    "8a4bad39ca5d44aaadeaef775c695e64d06e966acfcd552a14e2df6c63ae541f0fa88fc48263089685704506a21a0385"
    "6ce65d4f06d54f3157eeabd62491cb4ac7bf029e79f9fbd4c77e2a3588790c710e611da8b2040c76a61507a8020758dc"
    "c30894ad018fef98e401cc54106e20d94bd544a8f0e1fd0500342d123f618aa8c91bdf6e0e03200693c9651e469aee6f"
    "91c98bea4127ae66312f4ae3ea155b67";
constexpr std::string_view kV2Ss =
    "f2e86241c64d60f6649fbc6c5b7d17180b780a3f34355e64a85749949c45f150";
struct Vector {
  std::string_view seed, pk, eseed, ct, ss;
};
const std::array<Vector, 2> kVectors{{{kV1Seed, kV1Pk, kV1Eseed, kV1Ct, kV1Ss}, {kV2Seed, kV2Pk, kV2Eseed, kV2Ct, kV2Ss}}};

// The combiner written out from draft §5.3, and the ML-KEM half of the key, for the checks that
// need an expected value the vectors do not provide.
Bytes combiner(std::span<const std::uint8_t> ss_m, std::span<const std::uint8_t> ss_x,
               std::span<const std::uint8_t> ct_x, std::span<const std::uint8_t> pk_x) {
  Bytes in(ss_m.begin(), ss_m.end());
  in.insert(in.end(), ss_x.begin(), ss_x.end());
  in.insert(in.end(), ct_x.begin(), ct_x.end());
  in.insert(in.end(), pk_x.begin(), pk_x.end());
  for (const std::uint8_t b : {0x5C, 0x2E, 0x2F, 0x2F, 0x5E, 0x5C}) in.push_back(b);
  const auto h = pqc::sha3_256(in);
  return Bytes(h.begin(), h.end());
}

std::array<std::uint8_t, 96> expand_seed(std::span<const std::uint8_t> seed) {
  std::array<std::uint8_t, 96> wide{};
  pqc::shake256(seed, wide);
  return wide;
}

pqc::MlKemKeyPair ml_kem_half(std::span<const std::uint8_t> seed) {
  const auto wide = expand_seed(seed);
  auto kp = pqc::ml_kem_keygen_internal(pqc::kMlKem768, std::span(wide).first(32), std::span(wide).subspan(32, 32));
  EXPECT_TRUE(kp.ok());
  return std::move(kp).value();
}

// X25519(k, u) straight from OpenSSL, for u of large order.
Bytes x25519_ref(std::span<const std::uint8_t> k, std::span<const std::uint8_t> u) {
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k.data(), k.size()));
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u.data(), u.size()));
  PkeyCtxPtr ctx(key ? EVP_PKEY_CTX_new(key.get(), nullptr) : nullptr);
  Bytes out(32);
  std::size_t len = out.size();
  const bool ok = ctx && peer && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                  EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1 &&
                  EVP_PKEY_derive(ctx.get(), out.data(), &len) == 1 && len == out.size();
  EXPECT_TRUE(ok);
  return out;
}

TEST(XWing, Constants) {
  EXPECT_EQ(kXWingPublicKeyBytes, pqc::kMlKem768.ek_bytes() + 32);
  EXPECT_EQ(kXWingCiphertextBytes, pqc::kMlKem768.ciphertext_bytes() + 32);
  EXPECT_EQ(Bytes(kXWingLabel.begin(), kXWingLabel.end()), Bytes({'\\', '.', '/', '/', '^', '\\'}));
}

TEST(XWing, DraftVectorsKeyGen) {
  for (const Vector& v : kVectors) {
    auto kp = xwing_keygen_derand(hex(v.seed));
    ASSERT_TRUE(kp.ok());
    EXPECT_EQ(kp->pk, hex(v.pk));
    EXPECT_EQ(bytes_of(kp->sk), hex(v.seed));  // the private key is the seed itself
  }
}

TEST(XWing, DraftVectorsEncapsulate) {
  for (const Vector& v : kVectors) {
    auto enc = xwing_encaps_derand(hex(v.pk), hex(v.eseed));
    ASSERT_TRUE(enc.ok());
    EXPECT_EQ(enc->ciphertext, hex(v.ct));
    EXPECT_EQ(bytes_of(enc->shared_secret), hex(v.ss));
  }
}

TEST(XWing, DraftVectorsDecapsulate) {
  for (const Vector& v : kVectors) {
    auto ss = xwing_decaps(hex(v.seed), hex(v.ct));
    ASSERT_TRUE(ss.ok());
    EXPECT_EQ(bytes_of(*ss), hex(v.ss));
  }
}

TEST(XWing, RoundTripWithFreshKeysAndRandomness) {
  auto kp = xwing_keygen();
  ASSERT_TRUE(kp.ok());
  EXPECT_EQ(kp->pk.size(), kXWingPublicKeyBytes);
  EXPECT_EQ(kp->sk.size(), kXWingSeedBytes);
  auto again = xwing_keygen_derand(kp->sk.span());  // public from private
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pk, kp->pk);

  auto e1 = xwing_encaps(kp->pk);
  auto e2 = xwing_encaps(kp->pk);
  ASSERT_TRUE(e1.ok() && e2.ok());
  EXPECT_EQ(e1->ciphertext.size(), kXWingCiphertextBytes);
  EXPECT_EQ(e1->shared_secret.size(), kXWingSharedSecretBytes);
  EXPECT_NE(e1->ciphertext, e2->ciphertext);
  EXPECT_FALSE(ct_equal(e1->shared_secret.span(), e2->shared_secret.span()));
  auto d1 = xwing_decaps(kp->sk.span(), e1->ciphertext);
  ASSERT_TRUE(d1.ok());
  EXPECT_TRUE(ct_equal(d1->span(), e1->shared_secret.span()));

  auto other = xwing_keygen();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->pk, kp->pk);
  auto wrong_key = xwing_decaps(other->sk.span(), e1->ciphertext);
  ASSERT_TRUE(wrong_key.ok());
  EXPECT_FALSE(ct_equal(wrong_key->span(), e1->shared_secret.span()));
}

TEST(XWing, ModifiedCiphertextDecapsulatesToAnUnrelatedSecretWithoutError) {
  const Vector& v = kVectors[0];
  const Bytes seed = hex(v.seed), ct = hex(v.ct), ss = hex(v.ss);
  for (const std::size_t pos : {std::size_t{0}, std::size_t{1087}, std::size_t{1088}, std::size_t{1119}}) {
    Bytes bad = ct;
    bad[pos] ^= 0x01;
    auto a = xwing_decaps(seed, bad);
    auto b = xwing_decaps(seed, bad);
    ASSERT_TRUE(a.ok() && b.ok()) << "byte " << pos;
    EXPECT_NE(bytes_of(*a), ss) << "byte " << pos;
    EXPECT_EQ(bytes_of(*a), bytes_of(*b)) << "byte " << pos;  // deterministic, as in ML-KEM
  }
  // The unmodified ciphertext: the combiner over ML-KEM's key and X25519(sk_X, ct_X) is the
  // vector's secret.
  const auto wide = expand_seed(seed);
  const Bytes pk = hex(v.pk);
  const auto ct_x = std::span(ct).subspan(1088);
  const auto pk_x = std::span(pk).subspan(1184);
  const Bytes ss_x = x25519_ref(std::span(wide).subspan(64), ct_x);
  const pqc::MlKemKeyPair ml = ml_kem_half(seed);
  auto ss_m = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(ct).first(1088));
  ASSERT_TRUE(ss_m.ok());
  EXPECT_EQ(combiner(ss_m->span(), ss_x, ct_x, pk_x), ss);
  // A modified ML-KEM part: the same combiner, over ML-KEM's implicit-rejection key.
  Bytes bad = ct;
  bad[10] ^= 0x80;
  auto rejected = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(bad).first(1088));
  ASSERT_TRUE(rejected.ok());
  EXPECT_FALSE(ct_equal(rejected->span(), ss_m->span()));
  auto got = xwing_decaps(seed, bad);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(bytes_of(*got), combiner(rejected->span(), ss_x, ct_x, pk_x));
}

TEST(XWing, WrongLengths) {
  const Vector& v = kVectors[0];
  const Bytes seed = hex(v.seed), pk = hex(v.pk), ct = hex(v.ct), eseed = hex(v.eseed);
  for (const std::size_t n : {std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
    EXPECT_EQ(xwing_keygen_derand(Bytes(n, 1)).rv(), CKR_KEY_SIZE_RANGE) << n;
    EXPECT_EQ(xwing_decaps(Bytes(n, 1), ct).rv(), CKR_KEY_SIZE_RANGE) << n;
  }
  for (const std::size_t n : {std::size_t{0}, std::size_t{1184}, std::size_t{1215}, std::size_t{1217}}) {
    Bytes bad = pk;
    bad.resize(n, 0);
    EXPECT_EQ(xwing_encaps(bad).rv(), CKR_KEY_SIZE_RANGE) << n;
    EXPECT_EQ(xwing_encaps_derand(bad, eseed).rv(), CKR_KEY_SIZE_RANGE) << n;
  }
  for (const std::size_t n : {std::size_t{0}, std::size_t{1088}, std::size_t{1119}, std::size_t{1121}}) {
    Bytes bad = ct;
    bad.resize(n, 0);
    EXPECT_EQ(xwing_decaps(seed, bad).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE) << n;
  }
  EXPECT_EQ(xwing_encaps_derand(pk, Bytes(63, 1)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(xwing_encaps_derand(pk, Bytes(65, 1)).rv(), CKR_ARGUMENTS_BAD);
}

TEST(XWing, EncapsulationKeyFailingTheModulusCheckIsRefused) {
  Bytes pk = hex(kVectors[0].pk);
  // The first 12-bit coefficient of t̂ set to 4095 ≥ q = 3329 (FIPS 203 §7.2).
  pk[0] = 0xFF;
  pk[1] |= 0x0F;
  EXPECT_EQ(xwing_encaps(pk).rv(), CKR_PUBLIC_KEY_INVALID);
  EXPECT_EQ(xwing_encaps_derand(pk, hex(kVectors[0].eseed)).rv(), CKR_PUBLIC_KEY_INVALID);
}

// X25519 of a small-order u is the all-zero string (RFC 7748); X-Wing carries on with it. The
// expected secrets are built here from the combiner's definition and ML-KEM alone.
TEST(XWing, LowOrderX25519ValuesAreCombinedNotRefused) {
  const Vector& v = kVectors[0];
  const Bytes seed = hex(v.seed), pk = hex(v.pk), eseed = hex(v.eseed);
  const Bytes zero(32, 0);
  const auto pk_x = std::span(pk).subspan(1184);
  const pqc::MlKemKeyPair ml = ml_kem_half(seed);

  // Decapsulation of a ciphertext whose X25519 part is u = 0.
  Bytes ct = hex(v.ct);
  std::fill(ct.begin() + 1088, ct.end(), std::uint8_t{0});
  auto ss_m = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(ct).first(1088));
  ASSERT_TRUE(ss_m.ok());
  auto got = xwing_decaps(seed, ct);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(bytes_of(*got), combiner(ss_m->span(), zero, zero, pk_x));
  // u = 1 has order 4 on the curve: also zero.
  ct[1088] = 1;
  auto got1 = xwing_decaps(seed, ct);
  ASSERT_TRUE(got1.ok());
  EXPECT_EQ(bytes_of(*got1), combiner(ss_m->span(), zero, std::span(ct).subspan(1088), pk_x));

  // Encapsulation to a public key whose X25519 part is u = 0.
  Bytes weak_pk = pk;
  std::fill(weak_pk.begin() + 1184, weak_pk.end(), std::uint8_t{0});
  auto enc = xwing_encaps_derand(weak_pk, eseed);
  ASSERT_TRUE(enc.ok());
  auto ml_enc = pqc::ml_kem_encaps_internal(pqc::kMlKem768, std::span(pk).first(1184), std::span(eseed).first(32));
  ASSERT_TRUE(ml_enc.ok());
  const Bytes vector_ct = hex(v.ct);
  EXPECT_EQ(enc->ciphertext, vector_ct);  // ct_M and ct_X do not depend on pk_X
  EXPECT_EQ(bytes_of(enc->shared_secret),
            combiner(ml_enc->shared_secret.span(), zero, std::span(vector_ct).subspan(1088), zero));
}

}  // namespace
}  // namespace craton::crypto::hybrid
