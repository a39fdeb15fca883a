// Fixed keys shared by fuzz_object_codec and the corpus generator, so generated records carry a
// valid MAC and a sealed section the harness can open.
#pragma once

#include <array>
#include <cstdint>

namespace craton::fuzz {

inline constexpr std::array<std::uint8_t, 32> kIntegrityKey = {
    0x49, 0x4e, 0x54, 0x45, 0x47, 0x52, 0x49, 0x54, 0x59, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x66, 0x75,
    0x7a, 0x7a, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63};
inline constexpr std::array<std::uint8_t, 32> kMasterKey = {
    0x4d, 0x41, 0x53, 0x54, 0x45, 0x52, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x66, 0x75, 0x7a, 0x7a, 0x2d,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66};

// fuzz_object_codec's first input byte (mod 4) selects what the rest is.
enum CodecMode : std::uint8_t {
  kAttributeList = 0,  // an attribute-list encoding (decode_attributes + round trip)
  kRawRecord = 1,      // a whole record, MAC included (almost always rejected at the MAC)
  kRecordBody = 2,     // a record without its MAC; the harness appends the right one
  kSealedParts = 3,    // flags | u16 uid_len | uid | u32 pub_len | pub | secret plaintext: the
                       // harness seals the plaintext under kMasterKey and MACs the record
};

}  // namespace craton::fuzz
