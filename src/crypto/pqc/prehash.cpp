// Pre-hash lengths and OIDs for HashML-DSA and HashSLH-DSA (see prehash.h).
#include "crypto/pqc/prehash.h"

namespace craton::crypto::pqc {

std::size_t prehash_bytes(PreHash ph) noexcept {
  switch (ph) {
    case PreHash::kSha224: case PreHash::kSha512_224: case PreHash::kSha3_224: return 28;
    case PreHash::kSha256: case PreHash::kSha512_256: case PreHash::kSha3_256:
    case PreHash::kShake128: return 32;
    case PreHash::kSha384: case PreHash::kSha3_384: return 48;
    case PreHash::kSha512: case PreHash::kSha3_512: case PreHash::kShake256: return 64;
  }
  return 0;
}

std::array<std::uint8_t, 11> prehash_oid(PreHash ph) noexcept {
  std::uint8_t last = 0;
  switch (ph) {
    case PreHash::kSha256: last = 0x01; break;
    case PreHash::kSha384: last = 0x02; break;
    case PreHash::kSha512: last = 0x03; break;
    case PreHash::kSha224: last = 0x04; break;
    case PreHash::kSha512_224: last = 0x05; break;
    case PreHash::kSha512_256: last = 0x06; break;
    case PreHash::kSha3_224: last = 0x07; break;
    case PreHash::kSha3_256: last = 0x08; break;
    case PreHash::kSha3_384: last = 0x09; break;
    case PreHash::kSha3_512: last = 0x0A; break;
    case PreHash::kShake128: last = 0x0B; break;
    case PreHash::kShake256: last = 0x0C; break;
  }
  return {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last};
}

}  // namespace craton::crypto::pqc
