// Lazy loading of token objects (ADR 0010): a token view loads only the records' layout and the
// posting keys of their public sections; a record is verified on its first real use. These tests
// pin that nothing of an unverified record is ever trusted, that a damaged record is reported at
// its first use (and only dropped then), that concurrent first uses load once and agree, and that
// find / login / destroy / changes made through another view work on objects never touched.
// Every test runs on both backends (memory and SQLite).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "object/attribute.h"
#include "storage/store.h"
#include "storage_test_util.h"
#include "token/token.h"

namespace craton::token {
namespace {

using object::Attribute;
using object::AttributeSet;
using storage::Bytes;

const SecureBytes kSoPin = SecureBytes::from_string("so-pin-1234");
const SecureBytes kUserPin = SecureBytes::from_string("user-pin-1234");

TokenPolicy cheap_policy() {
  TokenPolicy p;
  p.kdf_iterations = 1000;
  return p;
}

AttributeSet data_object(const std::string& label, bool is_private = false, const std::string& value = "") {
  AttributeSet t;
  t.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  t.set(Attribute::make_bool(CKA_TOKEN, true));
  t.set(Attribute::make_bool(CKA_PRIVATE, is_private));
  t.set(Attribute::make_string(CKA_LABEL, label));
  t.set(Attribute::make_string(CKA_VALUE, value.empty() ? "value of " + label : value));
  return t;
}

// A public AES key: its CKA_VALUE is sealed in the record, the rest is public.
AttributeSet public_aes_key(const std::string& label) {
  AttributeSet t;
  t.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  t.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
  t.set(Attribute::make_bool(CKA_TOKEN, true));
  t.set(Attribute::make_bool(CKA_PRIVATE, false));
  t.set(Attribute::make_string(CKA_LABEL, label));
  t.set(Attribute::make_string(CKA_VALUE, std::string(32, 'K')));
  return t;
}

AttributeSet by_label(const std::string& label) {
  AttributeSet q;
  q.set(Attribute::make_string(CKA_LABEL, label));
  return q;
}

std::string text_of(const AttrSnapshot& a, CK_ATTRIBUTE_TYPE t) {
  auto v = a->get_bytes(t);
  return v ? std::string(v->begin(), v->end()) : std::string("<absent>");
}

class TokenLazy : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    storage::BackendOptions opts;
    opts.synchronous_full = false;
    opts.directory = std::string(GetParam()) == "memory" ? "/token-lazy-test/" + std::to_string(counter++) : dir_.path();
    auto backend = storage::make_backend(GetParam(), opts);
    ASSERT_TRUE(backend.ok());
    backend_ = std::move(backend).value();
    auto store = backend_->create_token(kName);
    ASSERT_TRUE(store.ok());
    const std::vector<std::uint8_t> label(32, ' ');
    auto t = Token::create(std::move(store).value(), kName, 0, kSoPin, label, cheap_policy());
    ASSERT_TRUE(t.ok()) << t.rv();
    writer_ = std::move(t).value();
    ASSERT_TRUE(writer_->login(LoginState::kSo, kSoPin, false).ok());
    ASSERT_TRUE(writer_->init_user_pin(kUserPin).ok());
    ASSERT_TRUE(writer_->logout().ok());
    ASSERT_TRUE(writer_->login(LoginState::kUser, kUserPin, false).ok());

    log_path_ = ::testing::TempDir() + "craton_token_lazy_" + std::to_string(::getpid()) + ".log";
    ::unlink(log_path_.c_str());
    ASSERT_TRUE(log::configure({log::Level::Error, log::Target::File, log_path_}).ok());
  }
  void TearDown() override {
    log::reset();
    ::unlink(log_path_.c_str());
  }

  // Another view of the same token, as a freshly started process has: nothing loaded yet.
  std::shared_ptr<Token> fresh_view() {
    auto store = backend_->open_token(kName);
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return nullptr;
    auto t = Token::open(std::move(store).value(), kName, cheap_policy());
    EXPECT_TRUE(t.ok());
    return t.ok() ? std::move(t).value() : nullptr;
  }

  std::string create(const AttributeSet& tmpl) {
    auto h = writer_->create_object(rw_, tmpl);
    EXPECT_TRUE(h.ok()) << h.rv();
    if (!h.ok()) return {};
    auto a = writer_->attributes(rw_, *h);
    EXPECT_TRUE(a.ok());
    return a.ok() ? text_of(*a, CKA_UNIQUE_ID) : std::string();
  }

  std::vector<CK_OBJECT_HANDLE> find(Token& t, const AttributeSet& q) {
    auto r = t.find(rw_, q);
    EXPECT_TRUE(r.ok()) << r.rv();
    return r.ok() ? *r : std::vector<CK_OBJECT_HANDLE>{};
  }

  // Rewrites an object's record in the store, as an attacker with write access to the files can.
  void rewrite_record(const std::string& uid, const std::function<Bytes(Bytes)>& edit) {
    auto store = backend_->open_token(kName);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->write([&](storage::Transaction& tx) -> Status {
      CRATON_ASSIGN_OR_RETURN(auto blob, tx.get_object(uid));
      if (!blob) return fail(CKR_GENERAL_ERROR, "no such record");
      return tx.put_object(uid, edit(std::move(*blob)));
    }).ok());
  }
  Bytes record_of(const std::string& uid) {
    Bytes out;
    auto store = backend_->open_token(kName);
    EXPECT_TRUE(store.ok());
    EXPECT_TRUE((*store)->write([&](storage::Transaction& tx) -> Status {
      CRATON_ASSIGN_OR_RETURN(auto blob, tx.get_object(uid));
      if (blob) out = std::move(*blob);
      return {};
    }).ok());
    return out;
  }

  std::string log_text() const {
    std::ifstream in(log_path_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool reported(const std::string& uid) const {
    const std::string log = log_text();
    return log.find("integrity") != std::string::npos && log.find(uid) != std::string::npos;
  }

  static constexpr const char* kName = "00000000000000AB";
  const Caller rw_{1, true};
  storage::testing::ScratchDir dir_;
  std::unique_ptr<storage::StoreBackend> backend_;
  std::shared_ptr<Token> writer_;  // logged in as the user
  std::string log_path_;
};

// The label of the damaged record is changed in its public section (what an index built from
// unverified records would list it under): it is found by neither label, it is reported when a
// search first yields it, and not before.
TEST_P(TokenLazy, EditedRecordIsNeverTrustedAndReportedAtFirstUse) {
  create(data_object("first"));
  const std::string victim = create(data_object("victim"));
  create(data_object("third"));
  rewrite_record(victim, [](Bytes b) {
    const std::string_view label = "victim";
    auto at = std::search(b.begin(), b.end(), label.begin(), label.end());
    EXPECT_NE(at, b.end());
    if (at != b.end()) at[5] = 'M';  // "victiM": the MAC no longer matches
    return b;
  });

  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(find(*view, by_label("third")).size(), 1u);
  EXPECT_FALSE(reported(victim)) << "a record is verified on first use, not when the token is loaded";
  EXPECT_TRUE(find(*view, by_label("victiM")).empty());  // listed under the edited label: verified, rejected
  EXPECT_TRUE(reported(victim)) << log_text();
  EXPECT_TRUE(find(*view, by_label("victim")).empty());
  EXPECT_EQ(find(*view, AttributeSet{}).size(), 2u);
  AttributeSet q;
  q.set(Attribute::make_string(CKA_UNIQUE_ID, victim));
  EXPECT_TRUE(find(*view, q).empty());
}

// A search that does not name the damaged object by an indexed value still verifies every
// object it considers: an empty template reports it.
TEST_P(TokenLazy, FlippedMacIsReportedByAnUnindexedSearch) {
  create(data_object("first"));
  const std::string victim = create(data_object("victim"));
  rewrite_record(victim, [](Bytes b) {
    b.back() ^= 0x01;
    return b;
  });
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  const auto all = find(*view, AttributeSet{});
  ASSERT_EQ(all.size(), 1u);
  auto a = view->attributes(rw_, all[0]);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(text_of(*a, CKA_LABEL), "first");
  EXPECT_TRUE(reported(victim));
}

// A valid record filed under another object's uid is a forgery, not a second copy.
TEST_P(TokenLazy, RecordCopiedToAnotherUidIsRejected) {
  const std::string a = create(data_object("a"));
  const std::string b = create(data_object("b"));
  const Bytes record_a = record_of(a);
  rewrite_record(b, [&](Bytes) { return record_a; });
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  const auto found = find(*view, by_label("a"));
  ASSERT_EQ(found.size(), 1u);
  auto attrs = view->attributes(rw_, found[0]);
  ASSERT_TRUE(attrs.ok());
  EXPECT_EQ(text_of(*attrs, CKA_UNIQUE_ID), a);
  EXPECT_TRUE(reported(b));
  EXPECT_EQ(find(*view, AttributeSet{}).size(), 1u);
}

// A record rewritten after its object was handed out is checked again before the next use of
// the handle: a genuine change is seen under the same handle, a damaged record makes it invalid.
TEST_P(TokenLazy, RecordChangedUnderAHeldHandleIsCheckedOnNextUse) {
  const std::string kept = create(data_object("kept"));
  const std::string spoiled = create(data_object("spoiled"));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  const auto h_kept = find(*view, by_label("kept"));
  const auto h_spoiled = find(*view, by_label("spoiled"));
  ASSERT_EQ(h_kept.size(), 1u);
  ASSERT_EQ(h_spoiled.size(), 1u);

  // A genuine change through another view, and a damaged record.
  const auto in_writer = find(*writer_, by_label("kept"));
  ASSERT_EQ(in_writer.size(), 1u);
  ASSERT_TRUE(writer_->set_attributes(rw_, in_writer[0], by_label("renamed")).ok());
  rewrite_record(spoiled, [](Bytes b) {
    b.back() ^= 0x40;  // the MAC: the record still parses, so only its verification can tell
    return b;
  });

  EXPECT_TRUE(find(*view, by_label("nothing")).empty());  // brings the view up to date
  EXPECT_FALSE(reported(spoiled));
  auto a = view->attributes(rw_, h_kept[0]);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(text_of(*a, CKA_LABEL), "renamed");
  EXPECT_EQ(view->attributes(rw_, h_spoiled[0]).rv(), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_TRUE(reported(spoiled));
  EXPECT_EQ(view->destroy_object(rw_, h_spoiled[0]).rv(), CKR_OBJECT_HANDLE_INVALID);
  (void)kept;
}

// Many threads use a handle whose record has to be verified again, all at once: it is loaded
// once (every thread gets the very same snapshot) and all agree on its content.
TEST_P(TokenLazy, ConcurrentFirstUseLoadsOnceAndAgrees) {
  create(data_object("shared"));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  const auto h = find(*view, by_label("shared"));
  ASSERT_EQ(h.size(), 1u);
  const auto in_writer = find(*writer_, by_label("shared"));
  ASSERT_EQ(in_writer.size(), 1u);

  constexpr int kThreads = 8;
  for (int round = 0; round < 5; ++round) {
    const std::string label = "shared-" + std::to_string(round);
    ASSERT_TRUE(writer_->set_attributes(rw_, in_writer[0], by_label(label)).ok());
    EXPECT_TRUE(find(*view, by_label("nothing")).empty());  // the view now holds an unverified record
    std::atomic<int> ready{0};
    std::vector<AttrSnapshot> seen(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        if (i % 2 == 0) {
          auto r = view->attributes(rw_, h[0]);
          if (r.ok()) seen[static_cast<std::size_t>(i)] = *r;
        } else {
          auto r = view->view(rw_, h[0]);
          if (r.ok()) seen[static_cast<std::size_t>(i)] = r->first;
        }
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_NE(seen[static_cast<std::size_t>(i)], nullptr) << i;
      EXPECT_EQ(seen[static_cast<std::size_t>(i)].get(), seen[0].get()) << "loaded more than once";
      EXPECT_EQ(text_of(seen[static_cast<std::size_t>(i)], CKA_LABEL), label);
    }
  }
}

// Several threads search a freshly opened view of many objects at once: each finds its object,
// with the right content, and all agree on the handles.
TEST_P(TokenLazy, ConcurrentFirstSearchesAgree) {
  constexpr int kObjects = 200;
  for (int i = 0; i < kObjects; ++i) create(data_object("object-" + std::to_string(i)));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  constexpr int kThreads = 8;
  std::vector<std::vector<CK_OBJECT_HANDLE>> got(kThreads);
  std::atomic<int> ready{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int i = 0; i < kObjects; i += 7) {
        const std::string label = "object-" + std::to_string((i + t) % kObjects);
        auto r = view->find(rw_, by_label(label));
        if (!r.ok() || r->size() != 1) {
          ++wrong;
          continue;
        }
        auto a = view->attributes(rw_, (*r)[0]);
        if (!a.ok() || text_of(*a, CKA_LABEL) != label || text_of(*a, CKA_VALUE) != "value of " + label) ++wrong;
      }
      auto all = view->find(rw_, AttributeSet{});
      if (all.ok()) got[static_cast<std::size_t>(t)] = *all;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(got[static_cast<std::size_t>(t)].size(), static_cast<std::size_t>(kObjects));
    EXPECT_EQ(got[static_cast<std::size_t>(t)], got[0]);
  }
}

// Objects nobody has touched since the view was opened: private ones stay invisible until a
// user login, are then found by label and opened; sealed content appears after login only;
// destroy works on them; logout seals everything again and private handles die.
TEST_P(TokenLazy, FindLoginDestroyOnNeverTouchedObjects) {
  create(data_object("public-data"));
  create(data_object("private-data", true, "private value"));
  create(public_aes_key("aes"));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);

  EXPECT_TRUE(find(*view, by_label("private-data")).empty());
  const auto key = find(*view, by_label("aes"));
  ASSERT_EQ(key.size(), 1u);
  auto sealed = view->view(rw_, key[0]);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->second) << "key material stays sealed before login";
  EXPECT_FALSE(sealed->first->contains(CKA_VALUE));

  ASSERT_TRUE(view->login(LoginState::kUser, kUserPin, false).ok());
  const auto priv = find(*view, by_label("private-data"));
  ASSERT_EQ(priv.size(), 1u);
  auto pa = view->attributes(rw_, priv[0]);
  ASSERT_TRUE(pa.ok());
  EXPECT_EQ(text_of(*pa, CKA_VALUE), "private value");
  auto opened = view->view(rw_, key[0]);  // the same handle, now with its key material
  ASSERT_TRUE(opened.ok());
  EXPECT_FALSE(opened->second);
  EXPECT_EQ(text_of(opened->first, CKA_VALUE), std::string(32, 'K'));

  ASSERT_TRUE(view->logout().ok());
  EXPECT_EQ(view->attributes(rw_, priv[0]).rv(), CKR_OBJECT_HANDLE_INVALID);
  auto resealed = view->view(rw_, key[0]);
  ASSERT_TRUE(resealed.ok());
  EXPECT_TRUE(resealed->second);
  EXPECT_FALSE(resealed->first->contains(CKA_VALUE));
  ASSERT_TRUE(view->login(LoginState::kUser, kUserPin, false).ok());
  EXPECT_EQ(view->attributes(rw_, priv[0]).rv(), CKR_OBJECT_HANDLE_INVALID) << "old private handles stay invalid";
  const auto priv2 = find(*view, by_label("private-data"));
  ASSERT_EQ(priv2.size(), 1u);
  EXPECT_NE(priv2[0], priv[0]);

  // Destroy objects touched only by the search that found them.
  ASSERT_TRUE(view->destroy_object(rw_, priv2[0]).ok());
  const auto pub = find(*view, by_label("public-data"));
  ASSERT_EQ(pub.size(), 1u);
  ASSERT_TRUE(view->destroy_object(rw_, pub[0]).ok());
  auto again = fresh_view();
  ASSERT_NE(again, nullptr);
  ASSERT_TRUE(again->login(LoginState::kUser, kUserPin, false).ok());
  EXPECT_TRUE(find(*again, by_label("private-data")).empty());
  EXPECT_TRUE(find(*again, by_label("public-data")).empty());
  EXPECT_EQ(find(*again, by_label("aes")).size(), 1u);
}

// Many private objects: the login itself opens nothing; the first search of the user opens them
// all, and finds the one it asks for.
TEST_P(TokenLazy, LoginWithManyPrivateObjects) {
  constexpr int kObjects = 300;
  for (int i = 0; i < kObjects; ++i) create(data_object("secret-" + std::to_string(i), true));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  EXPECT_TRUE(find(*view, AttributeSet{}).empty());
  ASSERT_TRUE(view->login(LoginState::kUser, kUserPin, false).ok());
  const auto h = find(*view, by_label("secret-123"));
  ASSERT_EQ(h.size(), 1u);
  auto a = view->attributes(rw_, h[0]);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(text_of(*a, CKA_VALUE), "value of secret-123");
  EXPECT_EQ(find(*view, AttributeSet{}).size(), static_cast<std::size_t>(kObjects));
}

// A private record damaged at rest is reported by the first search after login, never returned.
TEST_P(TokenLazy, DamagedPrivateRecordIsRejectedAfterLogin) {
  create(data_object("private-ok", true));
  const std::string victim = create(data_object("private-bad", true));
  rewrite_record(victim, [](Bytes b) {
    b[b.size() - 40] ^= 0x01;  // inside the GCM tag of the sealed section
    return b;
  });
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  ASSERT_TRUE(view->login(LoginState::kUser, kUserPin, false).ok());
  EXPECT_EQ(find(*view, by_label("private-ok")).size(), 1u);
  EXPECT_TRUE(reported(victim));
  EXPECT_TRUE(find(*view, by_label("private-bad")).empty());
  EXPECT_EQ(find(*view, AttributeSet{}).size(), 1u);
}

// Changes made through another view (another process) reach a view whose objects were never
// touched: new objects are found, deleted ones are gone, changed ones are found by their new
// values only.
TEST_P(TokenLazy, ReloadAfterAnotherViewChangesTheStore) {
  for (int i = 0; i < 20; ++i) create(data_object("object-" + std::to_string(i)));
  auto view = fresh_view();
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(find(*view, by_label("object-0")).size(), 1u);  // loaded, 19 objects still untouched

  create(data_object("added"));
  const auto doomed = find(*writer_, by_label("object-5"));
  ASSERT_EQ(doomed.size(), 1u);
  ASSERT_TRUE(writer_->destroy_object(rw_, doomed[0]).ok());
  const auto changed = find(*writer_, by_label("object-7"));
  ASSERT_EQ(changed.size(), 1u);
  ASSERT_TRUE(writer_->set_attributes(rw_, changed[0], by_label("changed")).ok());

  EXPECT_EQ(find(*view, by_label("added")).size(), 1u);
  EXPECT_TRUE(find(*view, by_label("object-5")).empty());
  EXPECT_TRUE(find(*view, by_label("object-7")).empty());
  const auto c = find(*view, by_label("changed"));
  ASSERT_EQ(c.size(), 1u);
  auto a = view->attributes(rw_, c[0]);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(text_of(*a, CKA_VALUE), "value of object-7");
  EXPECT_EQ(find(*view, AttributeSet{}).size(), 20u);
  EXPECT_EQ(log_text().find("integrity"), std::string::npos) << "nothing was damaged";
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenLazy, ::testing::Values("memory", "sqlite"),
                         [](const ::testing::TestParamInfo<const char*>& p) { return std::string(p.param); });

}  // namespace
}  // namespace craton::token
