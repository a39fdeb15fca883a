// Audit record encoding (canonical JSON line), chain arithmetic, head and key files.
#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <iterator>

#include "audit/audit.h"
#include "audit/chain.h"
#include "audit/head.h"
#include "audit/key.h"
#include "audit/record.h"
#include "audit_test_util.h"
#include "crypto/ossl/mac.h"

namespace craton::audit {
namespace {

Stamp fixed_stamp() {
  Stamp st;
  st.seq = 42;
  st.time.tv_sec = 1'700'000'000;  // 2023-11-14T22:13:20Z
  st.time.tv_nsec = 123'456'789;
  st.pid = 777;
  st.prev_hex = std::string(64, 'a');
  return st;
}

TEST(AuditRecord, CanonicalBody) {
  Event e = named("C_Sign");
  e.slot = 3;
  e.session = 9;
  e.user = User::kUser;
  e.object = "uid-1";
  e.mechanism = CKM_ECDSA;
  e.result = CKR_PIN_INCORRECT;
  std::string body;
  encode_body(fixed_stamp(), e, body);
  EXPECT_EQ(body,
            "{\"v\":1,\"seq\":42,\"time\":\"2023-11-14T22:13:20.123456Z\",\"pid\":777,\"event\":\"C_Sign\",\"slot\":3,"
            "\"session\":9,\"user\":\"user\",\"object\":\"uid-1\",\"mechanism\":\"CKM_ECDSA\",\"result\":"
            "\"CKR_PIN_INCORRECT\",\"approved\":false,\"detail\":\"\",\"prev\":\"" +
                std::string(64, 'a') + "\"}");
}

TEST(AuditRecord, AbsentFieldsAreNull) {
  std::string body;
  encode_body(fixed_stamp(), named("C_Initialize"), body);
  EXPECT_NE(body.find("\"slot\":null,\"session\":null,\"user\":\"none\",\"object\":\"\",\"mechanism\":null"),
            std::string::npos)
      << body;
  auto f = decode_body(body);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->slot);
  EXPECT_FALSE(f->session);
  EXPECT_FALSE(f->mechanism);
  EXPECT_EQ(f->event, "C_Initialize");
  EXPECT_EQ(f->result, "CKR_OK");
}

TEST(AuditRecord, RoundTripWithEscapes) {
  Event e = named("selftest");
  e.detail = std::string("a \"quoted\" \\ line\nwith\ttabs and \x01 and \xc3\xa9", 40);
  std::string body;
  encode_body(fixed_stamp(), e, body);
  for (char c : body) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unprintable byte in " << body;
  auto f = decode_body(body);
  ASSERT_TRUE(f.ok()) << body;
  EXPECT_EQ(f->detail, e.detail);
  EXPECT_EQ(f->seq, 42u);
  EXPECT_EQ(f->pid, 777u);
  EXPECT_EQ(f->time, "2023-11-14T22:13:20.123456Z");
}

TEST(AuditRecord, LineSplitsIntoBodyAndMac) {
  std::string body;
  encode_body(fixed_stamp(), named("C_Login"), body);
  const std::string mac(64, 'b');
  const std::string line = line_from_body(body, mac);
  EXPECT_TRUE(line.ends_with(",\"mac\":\"" + mac + "\"}"));
  auto split = split_line(line);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->body, body);
  EXPECT_EQ(split->mac_hex, mac);
  EXPECT_FALSE(split_line(line.substr(0, line.size() - 5)).ok());
  EXPECT_FALSE(split_line(body).ok());
}

TEST(AuditRecord, DecoderRejectsNonCanonicalText) {
  std::string body;
  encode_body(fixed_stamp(), named("C_Login"), body);
  ASSERT_TRUE(decode_body(body).ok());
  auto variant = [&](std::string from, std::string to) {
    std::string b = body;
    b.replace(b.find(from), from.size(), to);
    return b;
  };
  EXPECT_FALSE(decode_body(variant("\"seq\":42", "\"seq\": 42")).ok());       // whitespace
  EXPECT_FALSE(decode_body(variant("\"seq\":42", "\"seq\":042")).ok());       // leading zero
  EXPECT_FALSE(decode_body(variant("\"v\":1", "\"v\":2")).ok());              // version
  EXPECT_FALSE(decode_body(variant("aaaa", "AAAA")).ok());                    // uppercase hex
  EXPECT_FALSE(decode_body(variant("\"approved\":false", "\"approved\":0")).ok());
  EXPECT_FALSE(decode_body(variant("\"user\":\"none\",\"object\":\"\"", "\"object\":\"\",\"user\":\"none\"")).ok());
  EXPECT_FALSE(decode_body(body + " ").ok());
  EXPECT_FALSE(decode_body(variant("\"C_Login\"", "\"C_\\u004cogin\"")).ok());  // needless escape
}

TEST(AuditRecord, CountedRecordCarriesCountAndLastTime) {
  Stamp st = fixed_stamp();
  st.count = 3;
  st.last.tv_sec = 1'700'000'001;
  st.last.tv_nsec = 5'000;
  Event e = named("C_Encrypt");
  e.session = 4;
  e.countable = true;
  std::string body;
  encode_body(st, e, body);
  EXPECT_NE(body.find(",\"detail\":\"\",\"count\":3,\"last\":\"2023-11-14T22:13:21.000005Z\",\"prev\":"),
            std::string::npos)
      << body;
  auto f = decode_body(body);
  ASSERT_TRUE(f.ok()) << body;
  EXPECT_EQ(f->count, 3u);
  EXPECT_EQ(f->last, "2023-11-14T22:13:21.000005Z");
  EXPECT_EQ(f->time, "2023-11-14T22:13:20.123456Z");

  // A single call has neither field, whatever `last` holds.
  st.count = 1;
  body.clear();
  encode_body(st, e, body);
  EXPECT_EQ(body.find("\"count\""), std::string::npos) << body;
  f = decode_body(body);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->count, 1u);
  EXPECT_TRUE(f->last.empty());
}

TEST(AuditRecord, DecoderRejectsNonCanonicalCounts) {
  Stamp st = fixed_stamp();
  st.count = 2;
  st.last = st.time;
  std::string body;
  encode_body(st, named("C_Sign"), body);
  ASSERT_TRUE(decode_body(body).ok());
  auto variant = [&](std::string from, std::string to) {
    std::string b = body;
    b.replace(b.find(from), from.size(), to);
    return b;
  };
  EXPECT_FALSE(decode_body(variant("\"count\":2", "\"count\":1")).ok());  // one call has no count field
  EXPECT_FALSE(decode_body(variant("\"count\":2", "\"count\":0")).ok());
  EXPECT_FALSE(decode_body(variant("\"count\":2", "\"count\":02")).ok());
  EXPECT_FALSE(decode_body(variant("\"last\":\"2023-11-14T22:13:20.123456Z\"", "\"last\":\"\"")).ok());
  const std::string last_field = ",\"last\":\"2023-11-14T22:13:20.123456Z\"";
  EXPECT_FALSE(decode_body(variant(last_field, "")).ok());  // count without last
  EXPECT_FALSE(decode_body(variant(",\"count\":2", "")).ok());  // last without count
}

TEST(AuditRecord, SameCallComparesEveryLoggedField) {
  Event a = named("C_Sign");
  a.session = 1;
  a.object = "k";
  a.mechanism = CKM_ECDSA;
  Event b = a;
  b.countable = true;  // not a logged field
  EXPECT_TRUE(same_call(a, b));
  auto differs = [&](auto edit) {
    Event c = a;
    edit(c);
    return !same_call(a, c);
  };
  EXPECT_TRUE(differs([](Event& c) { c.name = "C_Verify"; }));
  EXPECT_TRUE(differs([](Event& c) { c.slot = 2; }));
  EXPECT_TRUE(differs([](Event& c) { c.session = 2; }));
  EXPECT_TRUE(differs([](Event& c) { c.user = User::kSo; }));
  EXPECT_TRUE(differs([](Event& c) { c.object = "other"; }));
  EXPECT_TRUE(differs([](Event& c) { c.mechanism = CKM_EDDSA; }));
  EXPECT_TRUE(differs([](Event& c) { c.result = CKR_DATA_LEN_RANGE; }));
  EXPECT_TRUE(differs([](Event& c) { c.approved = true; }));
  EXPECT_TRUE(differs([](Event& c) { c.detail = "x"; }));
  // Texts are compared by content: same length, other bytes differ; same bytes elsewhere are equal.
  static const char kOtherName[] = "C_Sigx";
  EXPECT_TRUE(differs([](Event& c) { c.name = kOtherName; }));
  static const char kSameName[] = "C_Sign";
  EXPECT_FALSE(differs([](Event& c) { c.name = kSameName; }));
  EXPECT_TRUE(differs([](Event& c) { c.object = "K"; }));
  Event d1 = a, d2 = a;
  d1.detail = "same detail";
  d2.detail = std::string("same ") + "detail";
  EXPECT_TRUE(same_call(d1, d2));
  d2.detail = "same detaiL";
  EXPECT_FALSE(same_call(d1, d2));
}

// records_call(e, f) answers what same_call(e, <the Event fill_call makes of f>) would, for every
// field changed alone, and fill_call sets every logged field.
TEST(AuditRecord, RecordsCallAgreesWithSameCall) {
  CallFields base;
  base.name = "C_Sign";
  base.slot = 1;
  base.session = 7;
  base.user = User::kUser;
  base.object = "0123456789abcdef0123456789abcdef";
  base.mechanism = CKM_ECDSA;
  base.result = CKR_OK;
  base.approved = true;
  Event queued;
  queued.detail = "left over";  // fill_call empties it
  fill_call(queued, base);
  EXPECT_EQ(queued.name, "C_Sign");
  EXPECT_EQ(queued.slot, 1u);
  EXPECT_EQ(queued.session, 7u);
  EXPECT_EQ(queued.user, User::kUser);
  EXPECT_EQ(queued.object, base.object);
  EXPECT_EQ(queued.mechanism, CKM_ECDSA);
  EXPECT_EQ(queued.result, CKR_OK);
  EXPECT_TRUE(queued.approved);
  EXPECT_TRUE(queued.detail.empty());
  static const char kSameName[] = "C_Sign";  // same text, another pointer
  const std::vector<std::pair<const char*, std::function<void(CallFields&)>>> edits = {
      {"nothing", [](CallFields&) {}},
      {"name", [](CallFields& f) { f.name = "C_Verify"; }},
      {"same name text", [](CallFields& f) { f.name = kSameName; }},
      {"slot", [](CallFields& f) { f.slot = 2; }},
      {"no slot", [](CallFields& f) { f.slot.reset(); }},
      {"session", [](CallFields& f) { f.session = 8; }},
      {"user", [](CallFields& f) { f.user = User::kSo; }},
      {"object", [](CallFields& f) { f.object = "0123456789abcdef0123456789abcdeF"; }},
      {"object's first byte", [](CallFields& f) { f.object = "X123456789abcdef0123456789abcdef"; }},
      {"object's middle", [](CallFields& f) { f.object = "0123456789abcdef0123456789Abcdef"; }},
      {"longer object", [](CallFields& f) { f.object = "0123456789abcdef0123456789abcdef0"; }},
      {"no object", [](CallFields& f) { f.object = {}; }},
      {"mechanism", [](CallFields& f) { f.mechanism = CKM_EDDSA; }},
      {"no mechanism", [](CallFields& f) { f.mechanism.reset(); }},
      {"result", [](CallFields& f) { f.result = CKR_SIGNATURE_INVALID; }},
      {"approved", [](CallFields& f) { f.approved = false; }},
  };
  for (const auto& [what, edit] : edits) {
    CallFields f = base;
    edit(f);
    Event made;
    fill_call(made, f);
    EXPECT_EQ(records_call(queued, f), same_call(queued, made)) << what;
    EXPECT_EQ(records_call(queued, f), std::string_view(what) == "nothing" || std::string_view(what) == "same name text")
        << what;
  }
  Event with_detail = queued;
  with_detail.detail = "x";  // never a call's record
  EXPECT_FALSE(records_call(with_detail, base));
}

// The record type has no field that takes bytes: key material cannot be put into a record.
static_assert(!std::is_constructible_v<std::string, const SecureBytes&>);
static_assert(!std::is_assignable_v<std::string&, std::span<const std::uint8_t>>);

TEST(AuditChain, HashAndMacFollowTheDefinition) {
  const SecureBytes key = test::test_key();
  Chain chain(key.clone(), Hash{});
  Stamp st = fixed_stamp();
  auto line1 = chain.append(st, named("a"));
  ASSERT_TRUE(line1.ok());
  auto split = split_line(*line1);
  ASSERT_TRUE(split.ok());
  // h_1 = SHA-256(0^32 || body_1), mac_1 = HMAC(K, h_1), computed here independently.
  // Sized at once: GCC 12's -Warray-bounds misreads a vector insert that has to grow.
  std::vector<std::uint8_t> buf(32 + split->body.size(), 0);
  std::copy(split->body.begin(), split->body.end(), buf.begin() + 32);
  auto h1 = crypto::sha256(buf);
  ASSERT_TRUE(h1.ok());
  EXPECT_EQ(chain.last(), *h1);
  auto mac = crypto::hmac_sha256(key.span(), *h1);
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(split->mac_hex, to_hex(mac->data(), mac->size()));
  EXPECT_NE(split->body.find("\"prev\":\"" + std::string(64, '0') + "\""), std::string::npos);
  auto line2 = chain.append(st, named("b"));
  ASSERT_TRUE(line2.ok());
  EXPECT_NE(line2->find("\"prev\":\"" + to_hex(h1->data(), h1->size()) + "\""), std::string::npos);
}

TEST(AuditHead, RoundTripAndTamper) {
  const SecureBytes key = test::test_key();
  Head h{"audit-x", 17, Hash{}, "audit-x.000000.jsonl"};
  h.hash[0] = 0xab;
  auto text = encode_head(h, key.span());
  ASSERT_TRUE(text.ok());
  auto back = decode_head(*text, key.span());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->stream, "audit-x");
  EXPECT_EQ(back->seq, 17u);
  EXPECT_EQ(back->hash, h.hash);
  EXPECT_EQ(back->file, "audit-x.000000.jsonl");
  std::string edited = *text;
  edited.replace(edited.find("\"seq\":17"), 8, "\"seq\":18");
  EXPECT_EQ(decode_head(edited, key.span()).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(decode_head(*text, test::test_key(9).span()).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(decode_head("garbage", key.span()).rv(), CKR_DATA_INVALID);
}

class AuditKeyTest : public test::AuditDirTest {};

TEST_F(AuditKeyTest, CreatedOnceWithMode0600) {
  const std::string path = dir_ + "/.audit.key";
  EXPECT_EQ(read_key(path).rv(), CKR_DATA_INVALID);
  auto k1 = load_or_create_key(path);
  ASSERT_TRUE(k1.ok());
  EXPECT_EQ(k1->size(), kKeySize);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  auto k2 = load_or_create_key(path);
  ASSERT_TRUE(k2.ok());
  EXPECT_TRUE(ct_equal(k1->span(), k2->span()));
  std::ofstream(path, std::ios::app) << "x";
  EXPECT_EQ(read_key(path).rv(), CKR_DEVICE_ERROR);
}

TEST_F(AuditKeyTest, ConfigPlacesKeyInTokendirAndLogBelowIt) {
  config::Config cfg = config::parse("directories.tokendir = " + dir_ + "/tokens\n", "t");
  EXPECT_EQ(key_path(cfg), dir_ + "/tokens/.audit.key");
  EXPECT_EQ(audit_dir(cfg), dir_ + "/tokens/audit");
  cfg.audit.dir = dir_ + "/elsewhere";
  EXPECT_EQ(audit_dir(cfg), dir_ + "/elsewhere");
  cfg.audit.enabled = false;
  auto none = open_log(cfg);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/elsewhere"));
}

TEST(AuditRecord, JsonStringsEscapeExactlyWhatMustBe) {
  const auto enc = [](std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  EXPECT_EQ(enc(""), R"("")");
  EXPECT_EQ(enc("plain text 0123"), R"("plain text 0123")");
  EXPECT_EQ(enc(R"(a"b\c)"), R"("a\"b\\c")");
  EXPECT_EQ(enc(std::string_view("\0x\n\x1f\x7f\xff", 6)), R"("\u0000x\u000a\u001f\u007f\u00ff")");
  EXPECT_EQ(enc(R"("")"), R"("\"\"")");            // escapes back to back
  EXPECT_EQ(enc("tail\x01"), R"("tail\u0001")");  // an escape at the end
  EXPECT_EQ(enc("\x01head"), R"("\u0001head")");  // and at the start
  std::string appended = "prefix";
  append_json_string(appended, "x");
  EXPECT_EQ(appended, R"(prefix"x")");  // appends, never replaces
}

TEST(AuditRecord, HexRoundTrips) {
  const std::uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes, sizeof bytes), "00017f80abff");
  EXPECT_EQ(to_hex(bytes, 0), "");
  std::uint8_t back[sizeof bytes] = {};
  ASSERT_TRUE(from_hex("00017f80abff", back, sizeof back));
  EXPECT_TRUE(std::equal(std::begin(bytes), std::end(bytes), std::begin(back)));
  EXPECT_FALSE(from_hex("00017f80abf", back, sizeof back));   // odd length
  EXPECT_FALSE(from_hex("00017f80abfg", back, sizeof back));  // not a hex digit
}

}  // namespace
}  // namespace craton::audit
