// Vectors of the classical algorithms (hashes, MACs, AES modes, ChaCha20-Poly1305, RSA, EC, KDFs).
//
// Known-answer vectors of the power-on self-tests. These are facts, copied from the sources named
// above each group (docs/SELF_TESTS.md lists them); nothing here is computed by this module. Long
// expected outputs are kept as their SHA-256, taken offline from the official value.
// Internal to src/selftest (included by the kat_*.cpp files only).
#pragma once

#include <string_view>

namespace craton::selftest::vectors {

// ---- hashes: FIPS 180-4 / FIPS 202 examples, message "abc" ----
inline constexpr std::string_view kAbc = "616263";
inline constexpr std::string_view kSha1Abc = "a9993e364706816aba3e25717850c26c9cd0d89d";
inline constexpr std::string_view kSha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
inline constexpr std::string_view kSha512Abc =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
    "454d4423643ce80e2a9ac94fa54ca49f";
inline constexpr std::string_view kSha3_256Abc = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
// ---- HMAC-SHA-256: Wycheproof hmac_sha256_test.json tcId 2 ----
inline constexpr std::string_view kHmacKey = "8159fd15133cd964c9a6964c94f0ea269a806fd9f43f0da58b6cd1b33d189b2a";
inline constexpr std::string_view kHmacMsg = "77";
inline constexpr std::string_view kHmacTag = "dfc5105d5eecf7ae7b8b8de3930e7659e84c4172f2555142f1e568fc1872ad93";
// ---- AES: SP 800-38A Appendix F.1.1 / F.2.1 / F.5.1 (first block), AES-128 ----
inline constexpr std::string_view kAesKey = "2b7e151628aed2a6abf7158809cf4f3c";
inline constexpr std::string_view kAesPlain = "6bc1bee22e409f96e93d7e117393172a";
inline constexpr std::string_view kAesEcbCipher = "3ad77bb40d7a3660a89ecaf32466ef97";
inline constexpr std::string_view kAesCbcIv = "000102030405060708090a0b0c0d0e0f";
inline constexpr std::string_view kAesCbcCipher = "7649abac8119b246cee98e9b12e9197d";
inline constexpr std::string_view kAesCtrIv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
inline constexpr std::string_view kAesCtrCipher = "874d6191b620e3261bef6864990db6ce";
// ---- AES-256-GCM: Wycheproof aes_gcm_test.json tcId 100 ----
inline constexpr std::string_view kGcmKey = "b279f57e19c8f53f2f963f5f2519fdb7c1779be2ca2b3ae8e1128b7d6c627fc4";
inline constexpr std::string_view kGcmIv = "98bc2c7438d5cd7665d76f6e";
inline constexpr std::string_view kGcmAad = "c0";
inline constexpr std::string_view kGcmPlain = "fcc515b294408c8645c9183e3f4ecee5127846d1";
inline constexpr std::string_view kGcmCipher = "eb5500e3825952866d911253f8de860c00831c81";
inline constexpr std::string_view kGcmTag = "ecb660e1fb0541ec41e8d68a64141b3a";
// ---- AES-CCM: SP 800-38C Appendix C, example 1 ----
inline constexpr std::string_view kCcmKey = "404142434445464748494a4b4c4d4e4f";
inline constexpr std::string_view kCcmNonce = "10111213141516";
inline constexpr std::string_view kCcmAad = "0001020304050607";
inline constexpr std::string_view kCcmPlain = "20212223";
inline constexpr std::string_view kCcmCipherTag = "7162015b4dac255d";
// ---- AES key wrap: RFC 3394 section 4.1 ----
inline constexpr std::string_view kKwKek = "000102030405060708090a0b0c0d0e0f";
inline constexpr std::string_view kKwKey = "00112233445566778899aabbccddeeff";
inline constexpr std::string_view kKwWrapped = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";
// ---- AES-CMAC: RFC 4493 section 4, example 2 (= SP 800-38B D.1) ----
inline constexpr std::string_view kCmacKey = "2b7e151628aed2a6abf7158809cf4f3c";
inline constexpr std::string_view kCmacMsg = "6bc1bee22e409f96e93d7e117393172a";
inline constexpr std::string_view kCmacTag = "070a16b46b4d4144f79bdd9dd04a287c";
// ---- ChaCha20-Poly1305: Wycheproof chacha20_poly1305_test.json tcId 1 ----
inline constexpr std::string_view kChaChaKey = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
inline constexpr std::string_view kChaChaNonce = "070000004041424344454647";
inline constexpr std::string_view kChaChaAad = "50515253c0c1c2c3c4c5c6c7";
inline constexpr std::string_view kChaChaPlain =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492063"
    "6f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e";
inline constexpr std::string_view kChaChaCipher =
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
    "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
    "3ff4def08e4b7a9de576d26586cec64b6116";
inline constexpr std::string_view kChaChaTag = "1ae10b594f09e26a7e902ecbd0600691";
// ---- RSASSA-PKCS1-v1_5 SHA-256, 2048 bits: Wycheproof rsa_pkcs1_2048_sig_gen_test.json tcId 82 ----
inline constexpr std::string_view kRsaSigKeyPkcs8 =
    "308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100a2b451a07d0aa5f96e45"
    "5671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89"
    "d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff"
    "8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be"
    "82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d"
    "9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf782"
    "0283f742b9d50203010001028201007627eef3567b2a27268e52053ecd31c3a7172ccb9ddcee819b306a5b3c66b7573c"
    "a4fa88efc6f3c4a00bfa0ae7139f64543a4dac3d05823f6ff477cfcec84fe2ac7a68b17204b390232e110310c4e899c4"
    "e7c10967db4acde042dbbf19dbe00b4b4741de1020aaaaffb5054c797c9f136f7d93ac3fc8caff6654242d7821ebee51"
    "7bf537f44366a0fdd45ae05b9909c2e6cc1ed9281eff4399f76c96b96233ec29ae0bbf0d752b234fc197389f51050aa1"
    "acd01c074c3ac8fbdb9ea8b651a95995e8db4ad5c43b6c8673e5a126e7ee94b8dff4c5afc01259bc8da76950bae6f8ba"
    "e715f50985b0d6f66d04c6fef3b700720eecdcdf171bb7b1ecbe7289c467c102818100dc431050f782e894fb5248247d"
    "98cb7d58b8d1e24f3b55d041c56e4de086b0d5bb028bda42eeb5d234d5681e5809d415e6a289ad4cfbf78f978f6c3581"
    "4f50eebff1c5b80a69f788e81e6bab5ddaa78369d659d143ec6f17e79813a575cfad9c569156b90113e2e9110ad9e7b4"
    "8a1c9348a6e653321191290ea36cfb3a5b18f102818100bd1a81e7977f9898122273ae3222b598ea5fb19eb4eabc3830"
    "8a5e32196603b2e500ffb79f5b886816611debc472fac45544070beb057c941378a6868af3b7a03d3f9880ec47d5e089"
    "b94fbde542aba9ae8d72c57088d7abf5b131f39098f7bc160f90536abc9492fd4e06f3ed7299d4b97bb03677207d9566"
    "9f140cfbc20f2502818100a94b528b28f291599121d91952ffd1c7f21d7c1479d99d478885fb161870ee1218bf084726"
    "12dbe5497e8d9c650688e09c786961ae3e2c354dc48ae34514759c4c23c4588488961dc06b414e61c0e1e7fbbd2923d3"
    "1532fe289f96da220711e58c14019808e00414276933bb07e4efb9b4a9b37656917205209f33f09515d7c10281803af0"
    "e72a933aef09ff2503df78bafed531c02ff1a2bc437c540cdcbd4ad35435cf511763596543480629b114ca7f780ff7ef"
    "a32ea0cb6e000d6d9ea1f2ef71fd9cf9948422a165557e37e755edfe70d90b920502eb478bc98a63f788ce3a0f856d6e"
    "de7251a383bfa8fa480a81a925af7b3cc538c4bab8c9f7597ffb68011d8d0281802640fbfbcfefb163ee7a87b6483a66"
    "ee41f956d90fa8a7939bfc042ee0924b1b7993d0445f758d51933e85179c0320b0c968b48a91c38b5be923e1097c0c56"
    "2f88d42294b6a2759bafa5428a74f1270874e45f6fcc60f21602de5eccd143cf31241f5921b5ad3983fb54ef17be3b28"
    "5367e50c999c67247b552fe4bfce945f7b";
inline constexpr std::string_view kRsaSigMsg = "0000000000000000000000000000000000000000";
inline constexpr std::string_view kRsaSig =
    "8a1b220cb2ab415dc760eb7f5bb10335a3cca269d7dbbf7d0962ba79f9cf7b43a5fc09c99a1584f07403473d6c189a83"
    "6897a5b6f8ea9fa22d601e6ba5f7411fe27c638b81b1a22363583a80fce8c7df3e40fb51bd0e60d0a6653f79f3bcb7ec"
    "3e9dc14cfb5b31ab1735bca692d50ac03f979dda92747c6430f8045efa3513ba6e0ce3e9e35570e1c30c8ebe589b4419"
    "2e1344ca83dfa576fc6fdc7bf1cd7cee875b001c8c02ce8d602769e4bd9d241c4857182a0089a8b67644e73eef105c55"
    "0efa47a40874289395ac0c4e02fd4ba98e130a4c2d1b95521c6af4a002ac3bdc6e52122ae4c08cc3da1c896e059acbdd"
    "ec574ac0432f6103dd97273d8803c102";
// ---- RSAES-OAEP SHA-256/MGF1-SHA-256, 2048 bits: Wycheproof rsa_oaep_2048_sha256_mgf1sha256_test.json tcId 2 ----
inline constexpr std::string_view kOaepKeyPkcs8 =
    "308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100a2b451a07d0aa5f96e45"
    "5671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89"
    "d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff"
    "8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be"
    "82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d"
    "9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf782"
    "0283f742b9d502030100010282010024cdc62317f5d72a6f6ba6cc9632899b01d1ff28867d72f61688995bc855a4e420"
    "a8405250089bdb13cf8e09543827b748b9d27fbb2b4d9e20af8c5a6a862796d1a4cc18ad16ea678bc1bd4a83bbbe9c5e"
    "57453b5ce7388e41a3ba4ce2b77b4438a229e954f720dae0353dc088ac8a76b26dc276f8e1b7851ddd6398ad16ff2e78"
    "195123b9b036e945c38c9d12434f6df76fe22359eb3e1ac9c011678fc926fad3ae475a4fffff55feb2d147e9c894f4c0"
    "e29a599e762462482d968bf42780945fc0d2c31c573c4431b8f4fe8b8c67bec815abd44f7a86edca1c2308737358d2c2"
    "ae5e2e0e2dadf730980262377e58b13b7d9992060a0bc870ccfdb4a9319ee102818100dc431050f782e894fb5248247d"
    "98cb7d58b8d1e24f3b55d041c56e4de086b0d5bb028bda42eeb5d234d5681e5809d415e6a289ad4cfbf78f978f6c3581"
    "4f50eebff1c5b80a69f788e81e6bab5ddaa78369d659d143ec6f17e79813a575cfad9c569156b90113e2e9110ad9e7b4"
    "8a1c9348a6e653321191290ea36cfb3a5b18f102818100bd1a81e7977f9898122273ae3222b598ea5fb19eb4eabc3830"
    "8a5e32196603b2e500ffb79f5b886816611debc472fac45544070beb057c941378a6868af3b7a03d3f9880ec47d5e089"
    "b94fbde542aba9ae8d72c57088d7abf5b131f39098f7bc160f90536abc9492fd4e06f3ed7299d4b97bb03677207d9566"
    "9f140cfbc20f2502818100a94b528b28f291599121d91952ffd1c7f21d7c1479d99d478885fb161870ee1218bf084726"
    "12dbe5497e8d9c650688e09c786961ae3e2c354dc48ae34514759c4c23c4588488961dc06b414e61c0e1e7fbbd2923d3"
    "1532fe289f96da220711e58c14019808e00414276933bb07e4efb9b4a9b37656917205209f33f09515d7c10281803af0"
    "e72a933aef09ff2503df78bafed531c02ff1a2bc437c540cdcbd4ad35435cf511763596543480629b114ca7f780ff7ef"
    "a32ea0cb6e000d6d9ea1f2ef71fd9cf9948422a165557e37e755edfe70d90b920502eb478bc98a63f788ce3a0f856d6e"
    "de7251a383bfa8fa480a81a925af7b3cc538c4bab8c9f7597ffb68011d8d0281802640fbfbcfefb163ee7a87b6483a66"
    "ee41f956d90fa8a7939bfc042ee0924b1b7993d0445f758d51933e85179c0320b0c968b48a91c38b5be923e1097c0c56"
    "2f88d42294b6a2759bafa5428a74f1270874e45f6fcc60f21602de5eccd143cf31241f5921b5ad3983fb54ef17be3b28"
    "5367e50c999c67247b552fe4bfce945f7b";
inline constexpr std::string_view kOaepMsg = "0000000000000000000000000000000000000000";
inline constexpr std::string_view kOaepCipher =
    "207180c340658b5154ae45d2e4e7326a0997c683a26b595e536a29333c4b66149af85e029d5419a39e3a147b221516ff"
    "d86b6b4b66c3e0c4c49fe8c57a2f5c37b8704b9b592b80db9cd788a4ed51ab4f0a1cbed63bd18d1f06a22f225866b0c2"
    "c417cb23473b7ba4250b1353bd2e5b4f0f937cd2efe5fa38db3c295f7748b970088657db4aa9a76e1ee6fbff166ec186"
    "1d00d085326c7384bdd1bc2f400d4f74dbdfadaf3fdc46073e668573e02030b9eb5af58eb540c66677a771194479ec00"
    "98d858a2ea45d0ba1e6b32440dfbac745000554d51a17684ca964b02a74d479f1d432ef763ef4059715a4348cfe36a21"
    "5359712f25b6977903be4adb92febbf6";
// ---- ECDSA P-256 SHA-256 (r || s): Wycheproof ecdsa_secp256r1_sha256_p1363_test.json tcId 1 ----
inline constexpr std::string_view kEcdsaPublic =
    "042927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4"
    "606766b3d9685001558d1a974e7341513e";
inline constexpr std::string_view kEcdsaMsg = "313233343030";
inline constexpr std::string_view kEcdsaSig =
    "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7"
    "525fe710fab9aa7c77a67f79e6fadd76";
// ---- ECDH P-256: Wycheproof ecdh_secp256r1_ecpoint_test.json tcId 1 ----
inline constexpr std::string_view kEcdhPrivate = "0612465c89a023ab17855b0a6bcebfd3febb53aef84138647b5352e02c10c346";
inline constexpr std::string_view kEcdhPeer =
    "0462d5bd3372af75fe85a040715d0f502428e07046868b0bfdfa61d731afe44f26ac333a93a9e70a81cd5a95b5bf8d13"
    "990eb741c8c38872b4a07d275a014e30cf";
inline constexpr std::string_view kEcdhShared = "53020d908b0219328b658b525f26780e3ae12bcd952bb25a93bc0895e1714285";
// ---- Ed25519: RFC 8032 section 7.1, TEST 2 ----
inline constexpr std::string_view kEd25519Secret = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
inline constexpr std::string_view kEd25519Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
inline constexpr std::string_view kEd25519Msg = "72";
inline constexpr std::string_view kEd25519Sig =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
    "387b2eaeb4302aeeb00d291612bb0c00";
// ---- HKDF-SHA-256: Wycheproof hkdf_sha256_test.json tcId 1 ----
inline constexpr std::string_view kHkdfIkm = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
inline constexpr std::string_view kHkdfSalt = "000102030405060708090a0b0c";
inline constexpr std::string_view kHkdfInfo = "f0f1f2f3f4f5f6f7f8f9";
inline constexpr std::string_view kHkdfOkm =
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
// ---- PBKDF2-HMAC-SHA-256: RFC 7914 section 11, P = "passwd", S = "salt", c = 1, dkLen = 64 ----
inline constexpr std::string_view kPbkdf2Password = "706173737764";
inline constexpr std::string_view kPbkdf2Salt = "73616c74";
inline constexpr std::string_view kPbkdf2Output =
    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef31"
    "7c71b845b1e30bd509112041d3a19783";

}  // namespace craton::selftest::vectors
