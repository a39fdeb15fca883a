// Writes the seed corpora of fuzz_object_codec, fuzz_pin_vault and fuzz_config into
// <dir>/<target>/ with the project's own encoders, so every seed is a valid input:
//   build-fuzz/fuzz/fuzz_corpus_gen fuzz/corpus
// (fuzz_template and fuzz_module_api read their input through FuzzedDataProvider; their seeds
// are small inputs the fuzzers found, see README.md.)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "codec_keys.h"
#include "object/attribute.h"
#include "storage/object_codec.h"
#include "token/pin_vault.h"

namespace {

using namespace craton;
using object::Attribute;
using object::AttributeSet;
using Blob = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

void write(const fs::path& dir, const std::string& name, const Blob& b) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

Blob with_mode(std::uint8_t mode, const Blob& rest) {
  Blob out{mode};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

template <class T>
T must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "corpus_gen: %s\n", r.error().reason);
    std::exit(1);
  }
  return std::move(r).value();
}

AttributeSet data_object() {
  AttributeSet s;
  s.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  s.set(Attribute::make_bool(CKA_TOKEN, true));
  s.set(Attribute::make_bool(CKA_PRIVATE, false));
  s.set(Attribute::make_string(CKA_LABEL, "seed"));
  s.set(Attribute::make_string(CKA_VALUE, "hello"));
  return s;
}

AttributeSet secret_key(bool is_private) {
  AttributeSet s;
  s.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  s.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
  s.set(Attribute::make_bool(CKA_PRIVATE, is_private));
  s.set(Attribute::make_bool(CKA_SENSITIVE, true));
  s.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 0x11)));
  Attribute wrap;
  wrap.type = CKA_WRAP_TEMPLATE;
  wrap.nested.push_back(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
  wrap.nested.push_back(Attribute::make_bool(CKA_EXTRACTABLE, false));
  s.set(std::move(wrap));
  return s;
}

void codec(const fs::path& dir) {
  const SecureBytes mk{std::span<const std::uint8_t>(fuzz::kMasterKey)};
  const storage::SecretPredicate value_is_secret = [](const AttributeSet&, CK_ATTRIBUTE_TYPE t) { return t == CKA_VALUE; };
  write(dir, "list-empty", with_mode(fuzz::kAttributeList, storage::encode_attributes(AttributeSet{})));
  write(dir, "list-data", with_mode(fuzz::kAttributeList, storage::encode_attributes(data_object())));
  write(dir, "list-key-nested", with_mode(fuzz::kAttributeList, storage::encode_attributes(secret_key(true))));
  struct Rec { const char* name; AttributeSet attrs; bool secret_pred; };
  std::vector<Rec> recs;
  recs.push_back({"public-data", data_object(), false});
  recs.push_back({"public-key-sealed-value", secret_key(false), true});
  recs.push_back({"private-key", secret_key(true), true});
  for (auto& r : recs) {
    const Blob rec = must(storage::encode_object("uid-0001", r.attrs, r.secret_pred ? value_is_secret : nullptr,
                                                 fuzz::kIntegrityKey, &mk));
    write(dir, std::string("record-") + r.name, with_mode(fuzz::kRawRecord, rec));
    write(dir, std::string("body-") + r.name, with_mode(fuzz::kRecordBody, Blob(rec.begin(), rec.end() - 32)));
  }
  // Sealed parts: flags | u16 uid_len | uid | u32 pub_len | pub | secret plaintext.
  AttributeSet pub;
  pub.set(Attribute::make_bool(CKA_PRIVATE, true));
  const Blob pub_enc = storage::encode_attributes(pub);
  AttributeSet sec = secret_key(true);  // a private record seals everything but CKA_PRIVATE
  sec.erase(CKA_PRIVATE);
  const Blob sec_ok = storage::encode_attributes(sec);
  for (const auto& [name, flags, p, s] : {std::tuple{"private", 3, pub_enc, sec_ok},
                                          std::tuple{"public-sealed", 1, storage::encode_attributes(data_object()), storage::encode_attributes(AttributeSet{})},
                                          std::tuple{"public-plain", 0, storage::encode_attributes(data_object()), Blob{}}}) {
    Blob b{static_cast<std::uint8_t>(flags), 3, 0, 'u', 'i', 'd'};
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(p.size() >> (8 * i)));
    b.insert(b.end(), p.begin(), p.end());
    b.insert(b.end(), s.begin(), s.end());
    write(dir, std::string("parts-") + name, with_mode(fuzz::kSealedParts, b));
  }
}

void pin_vault(const fs::path& dir) {
  const SecureBytes mk{std::span<const std::uint8_t>(fuzz::kMasterKey)};
  const std::string pins[] = {"1234", "so-secret-1"};
  for (int role = 0; role < 2; ++role) {
    const std::string& pin = pins[role];
    const auto r = role == 1 ? token::PinRole::kSo : token::PinRole::kUser;
    const Blob blob = must(token::wrap_master_key(mk, SecureBytes::from_string(pin), r, 1000));
    Blob in{static_cast<std::uint8_t>(role), static_cast<std::uint8_t>(pin.size())};
    in.insert(in.end(), pin.begin(), pin.end());
    in.insert(in.end(), blob.begin(), blob.end());
    write(dir, std::string("blob-") + (role == 1 ? "so" : "user"), in);
    in[2] ^= 1;  // wrong PIN
    write(dir, std::string("blob-wrong-pin-") + (role == 1 ? "so" : "user"), in);
  }
  Blob rt{2, 4, 'a', 'b', 'c', 'd'};
  rt.insert(rt.end(), fuzz::kMasterKey.begin(), fuzz::kMasterKey.end());
  rt.push_back(7);
  write(dir, "round-trip", rt);
}

void config(const fs::path& dir) {
  const std::pair<const char*, const char*> texts[] = {
      {"all-keys",
       "# every key once\n"
       "directories.tokendir = /var/lib/craton/tokens\n"
       "objectstore.backend = sqlite\n"
       "objectstore.umask = 0077\n"
       "objectstore.sync = normal\n"
       "log.level = INFO\n"
       "log.target = syslog\n"
       "slots.removable = yes\n"
       "slots.mechanisms = CKM_AES_GCM,CKM_SHA256,0x1082\n"
       "library.reset_on_fork = false\n"
       "pin.kdf_iterations = 1000\n"
       "pin.max_failures = 3\n"
       "pin.min_length = 4\n"
       "pin.max_length = 64\n"},
      {"softhsm",
       "directories.tokendir = /tmp/tokens # kept\n"
       "objectstore.backend = file\n"
       "log.level = DEBUG\n"
       "log.file = /tmp/craton.log\n"
       "slots.mechanisms = -CKM_RSA_PKCS,-CKM_MD5\n"},
      {"bad-values",
       "objectstore.umask = 0999\n"
       "pin.kdf_iterations = 5\n"
       "pin.min_length = 100\npin.max_length = 10\n"
       "slots.mechanisms = CKM_NOPE,\n"
       "no equals sign\n"
       "unknown.key = 1\n"
       "objectstore.backend = memory\nobjectstore.backend = db\n"},
      {"empty", ""},
  };
  for (const auto& [name, text] : texts) {
    const std::string s = text;
    write(dir, name, Blob(s.begin(), s.end()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? argv[1] : "fuzz/corpus";
  codec(root / "fuzz_object_codec");
  pin_vault(root / "fuzz_pin_vault");
  config(root / "fuzz_config");
  std::printf("corpus_gen: wrote %s\n", root.c_str());
  return 0;
}
