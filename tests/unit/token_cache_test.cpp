// Tests for the token's object cache: a search reads the store only when something changed, a
// change written through another store instance is picked up by the next search, and the indexes
// keep candidate lists proportional to the matches, not to the number of objects.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "object/attribute.h"
#include "storage/store.h"
#include "token/object_cache.h"
#include "token/token.h"

namespace craton::token {
namespace {

using object::Attribute;
using object::AttributeSet;

// Forwards to a real store and counts the calls that matter for the cache.
class CountingStore final : public storage::TokenStore {
 public:
  explicit CountingStore(std::unique_ptr<storage::TokenStore> inner) : inner_(std::move(inner)) {}

  Status write(const std::function<Status(storage::Transaction&)>& fn) override {
    ++writes;
    return inner_->write(fn);
  }
  Result<std::optional<storage::Bytes>> read_meta(std::string_view key) override { return inner_->read_meta(key); }
  Result<bool> changed_since(std::uint64_t generation) override {
    ++changed_since_calls;
    return inner_->changed_since(generation);
  }
  Result<storage::ChangeSet> changes_since(std::uint64_t generation) override {
    ++changes_since_calls;
    return inner_->changes_since(generation);
  }

  std::atomic<int> writes{0};
  std::atomic<int> changed_since_calls{0};
  std::atomic<int> changes_since_calls{0};

 private:
  std::unique_ptr<storage::TokenStore> inner_;
};

TokenPolicy cheap_policy() {
  TokenPolicy p;
  p.kdf_iterations = 1000;
  return p;
}

AttributeSet data_template(const std::string& label, bool token = true) {
  AttributeSet t;
  t.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  t.set(Attribute::make_bool(CKA_TOKEN, token));
  t.set(Attribute::make_string(CKA_LABEL, label));
  t.set(Attribute::make_string(CKA_VALUE, "value of " + label));
  return t;
}

AttributeSet label_query(const std::string& label) {
  AttributeSet q;
  q.set(Attribute::make_string(CKA_LABEL, label));
  return q;
}

// A token in the memory backend, with its store wrapped in a CountingStore.
class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    storage::BackendOptions opts;
    opts.directory = "/token-cache-test/" + std::to_string(counter++);
    auto backend = storage::make_backend("memory", opts);
    ASSERT_TRUE(backend.ok());
    backend_ = std::move(backend).value();
    auto store = backend_->create_token(kName);
    ASSERT_TRUE(store.ok());
    auto counting = std::make_unique<CountingStore>(std::move(store).value());
    counting_ = counting.get();
    const SecureBytes so_pin = SecureBytes::from_string("so-pin-1234");
    const std::vector<std::uint8_t> label(32, ' ');
    auto token = Token::create(std::move(counting), kName, 0, so_pin, label, cheap_policy());
    ASSERT_TRUE(token.ok()) << token.rv();
    token_ = std::move(token).value();
  }

  // A second, independent view of the same token (as another process would have).
  std::shared_ptr<Token> open_second_view() {
    auto store = backend_->open_token(kName);
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return nullptr;
    auto t = Token::open(std::move(store).value(), kName, cheap_policy());
    EXPECT_TRUE(t.ok());
    return t.ok() ? std::move(t).value() : nullptr;
  }

  static constexpr const char* kName = "cache-token";
  const Caller rw_{1, true};
  std::unique_ptr<storage::StoreBackend> backend_;
  CountingStore* counting_ = nullptr;  // owned by token_
  std::shared_ptr<Token> token_;
};

TEST_F(TokenCacheTest, RepeatedFindDoesNotReadTheStore) {
  auto h = token_->create_object(rw_, data_template("first"));
  ASSERT_TRUE(h.ok()) << h.rv();
  auto found = token_->find(rw_, label_query("first"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<CK_OBJECT_HANDLE>{*h});

  const int changes_before = counting_->changes_since_calls.load();
  const int checks_before = counting_->changed_since_calls.load();
  for (int i = 0; i < 5; ++i) {
    found = token_->find(rw_, label_query("first"));
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, std::vector<CK_OBJECT_HANDLE>{*h});
  }
  EXPECT_EQ(counting_->changes_since_calls.load(), changes_before) << "a find with nothing changed read the store";
  EXPECT_EQ(counting_->changed_since_calls.load(), checks_before + 5) << "each find asks the cheap question once";
}

TEST_F(TokenCacheTest, SessionObjectsNeverTouchTheStore) {
  ASSERT_TRUE(token_->find(rw_, label_query("x")).ok());  // initial load
  const int writes_before = counting_->writes.load();
  const int changes_before = counting_->changes_since_calls.load();
  auto h = token_->create_object(rw_, data_template("session", false));
  ASSERT_TRUE(h.ok());
  auto found = token_->find(rw_, label_query("session"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<CK_OBJECT_HANDLE>{*h});
  EXPECT_EQ(counting_->writes.load(), writes_before);
  EXPECT_EQ(counting_->changes_since_calls.load(), changes_before);
}

TEST_F(TokenCacheTest, FindPicksUpObjectsWrittenThroughAnotherStore) {
  ASSERT_TRUE(token_->create_object(rw_, data_template("mine")).ok());
  ASSERT_TRUE(token_->find(rw_, label_query("mine")).ok());
  const int changes_before = counting_->changes_since_calls.load();

  std::shared_ptr<Token> other = open_second_view();
  ASSERT_NE(other, nullptr);
  auto theirs = other->create_object(rw_, data_template("theirs"));
  ASSERT_TRUE(theirs.ok()) << theirs.rv();

  auto found = token_->find(rw_, label_query("theirs"));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(counting_->changes_since_calls.load(), changes_before + 1);
  auto attrs = token_->attributes(rw_, (*found)[0]);
  ASSERT_TRUE(attrs.ok());
  auto label = (*attrs)->get_bytes(CKA_LABEL);
  ASSERT_TRUE(label.has_value());
  EXPECT_EQ(std::string(label->begin(), label->end()), "theirs");

  // Caught up: the next find is free again.
  ASSERT_TRUE(token_->find(rw_, label_query("theirs")).ok());
  EXPECT_EQ(counting_->changes_since_calls.load(), changes_before + 1);

  // A deletion through the other view is picked up the same way.
  auto in_other = other->find(rw_, label_query("theirs"));
  ASSERT_TRUE(in_other.ok());
  ASSERT_EQ(in_other->size(), 1u);
  ASSERT_TRUE(other->destroy_object(rw_, (*in_other)[0]).ok());
  found = token_->find(rw_, label_query("theirs"));
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
  EXPECT_EQ(counting_->changes_since_calls.load(), changes_before + 2);
  found = token_->find(rw_, label_query("mine"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1u);
}

// ---- the index -------------------------------------------------------------------------------

CachedObject cached(int i) {
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  a.set(Attribute::make_string(CKA_LABEL, "object-" + std::to_string(i)));
  a.set(Attribute::make_string(CKA_APPLICATION, i % 2 == 0 ? "even" : "odd"));
  a.set(Attribute::make_string(CKA_VALUE, "value-" + std::to_string(i % 10)));
  CachedObject o;
  o.uid = "uid-" + std::to_string(i);
  o.is_token = true;
  o.complete = true;
  o.attrs = std::make_shared<const AttributeSet>(std::move(a));
  return o;
}

std::string label_of(const CachedObject* o) {
  auto l = o->attrs->get_bytes(CKA_LABEL);
  return l ? std::string(l->begin(), l->end()) : "";
}

class ObjectCacheIndex : public ::testing::Test {
 protected:
  static constexpr int kObjects = 5000;
  void SetUp() override {
    for (int i = 0; i < kObjects; ++i) handles_.push_back(cache_.put(cached(i)));
    ASSERT_EQ(cache_.size(), static_cast<std::size_t>(kObjects));
  }
  ObjectCache cache_;
  std::vector<CK_OBJECT_HANDLE> handles_;
};

TEST_F(ObjectCacheIndex, LabelTemplateYieldsOnlyTheMatch) {
  const auto c = cache_.candidates(label_query("object-1234"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(label_of(c[0]), "object-1234");
  EXPECT_EQ(c[0]->handle, handles_[1234]);
  EXPECT_TRUE(cache_.candidates(label_query("no such label")).empty());
}

TEST_F(ObjectCacheIndex, SmallestPostingListIsUsed) {
  AttributeSet q = label_query("object-7");
  q.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));               // 5000 objects
  q.set(Attribute::make_string(CKA_APPLICATION, "odd"));           // 2500 objects
  const auto c = cache_.candidates(q);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(label_of(c[0]), "object-7");
  AttributeSet app;
  app.set(Attribute::make_string(CKA_APPLICATION, "even"));
  EXPECT_EQ(cache_.candidates(app).size(), static_cast<std::size_t>(kObjects / 2));
  // One indexed attribute nobody has: nothing, whatever the others say.
  q.set(Attribute::make_string(CKA_APPLICATION, "neither"));
  EXPECT_TRUE(cache_.candidates(q).empty());
}

TEST_F(ObjectCacheIndex, UnindexedTemplateFallsBackToEveryObject) {
  AttributeSet q;
  q.set(Attribute::make_string(CKA_VALUE, "value-3"));  // CKA_VALUE is not indexed
  EXPECT_EQ(cache_.candidates(q).size(), static_cast<std::size_t>(kObjects));
  EXPECT_EQ(cache_.candidates(AttributeSet{}).size(), static_cast<std::size_t>(kObjects));
}

TEST_F(ObjectCacheIndex, IndexFollowsChangesAndErasures) {
  // Replace through put() (as a refresh from the store does): same handle, new label indexed.
  CachedObject renamed = cached(42);
  AttributeSet a = renamed.attrs->clone();
  a.set(Attribute::make_string(CKA_LABEL, "renamed"));
  renamed.attrs = std::make_shared<const AttributeSet>(std::move(a));
  EXPECT_EQ(cache_.put(std::move(renamed)), handles_[42]);
  EXPECT_TRUE(cache_.candidates(label_query("object-42")).empty());
  auto c = cache_.candidates(label_query("renamed"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]->handle, handles_[42]);

  // Replace through by_uid() + reindex() (as a session-object change does).
  CachedObject* m = cache_.by_uid("uid-43");
  ASSERT_NE(m, nullptr);
  AttributeSet b = m->attrs->clone();
  b.set(Attribute::make_string(CKA_LABEL, "renamed"));
  m->attrs = std::make_shared<const AttributeSet>(std::move(b));
  cache_.reindex(*m, ObjectCache::keys_of(*m->attrs));
  EXPECT_TRUE(cache_.candidates(label_query("object-43")).empty());
  EXPECT_EQ(cache_.candidates(label_query("renamed")).size(), 2u);

  cache_.erase_uid("uid-42");
  c = cache_.candidates(label_query("renamed"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]->uid, "uid-43");
  EXPECT_EQ(cache_.by_handle(handles_[42]), nullptr);
  EXPECT_EQ(cache_.size(), static_cast<std::size_t>(kObjects - 1));
  AttributeSet app;
  app.set(Attribute::make_string(CKA_APPLICATION, "even"));
  EXPECT_EQ(cache_.candidates(app).size(), static_cast<std::size_t>(kObjects / 2 - 1));
}

// The posting lists and the uid table under a long random mix of inserts, replacements (new
// values, same uid), erasures and reindexing, of verified objects, of objects listed by keys
// only (not yet verified) and of objects put unlisted (listed by the next search): every search
// answer is checked against a brute-force reference.
TEST(ObjectCacheIndexRandom, StaysExactUnderChurn) {
  ObjectCache cache;
  std::mt19937 rng(12345);
  struct Ref {
    std::string label;
    std::string app;
    bool verified = false;
  };
  std::map<std::string, Ref> ref;
  auto attrs_of = [](const std::string& label, const std::string& app) {
    AttributeSet a;
    a.set(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
    a.set(Attribute::make_string(CKA_LABEL, label));
    a.set(Attribute::make_string(CKA_APPLICATION, app));
    return a;
  };
  auto check = [&] {
    ASSERT_EQ(cache.size(), ref.size());
    std::map<std::string, std::set<std::string>> by_label, by_app;
    for (const auto& [uid, r] : ref) {
      by_label[r.label].insert(uid);
      by_app[r.app].insert(uid);
      CachedObject* o = cache.by_uid(uid);
      ASSERT_NE(o, nullptr) << uid;
      EXPECT_EQ(o->verified(), r.verified);
      EXPECT_EQ(o->handle != CK_INVALID_HANDLE, r.verified) << "a handle exactly for verified objects";
      if (o->handle != CK_INVALID_HANDLE) {
        EXPECT_EQ(cache.by_handle(o->handle), o);
      }
    }
    for (int l = 0; l < 40; ++l) {
      const std::string label = "label-" + std::to_string(l);
      std::set<std::string> got;
      for (const CachedObject* o : cache.candidates(label_query(label))) {
        EXPECT_TRUE(got.insert(o->uid.str()).second) << "listed twice: " << o->uid;
      }
      EXPECT_EQ(got, by_label[label]) << label;
    }
    for (const std::string app : {"a", "b", "c"}) {
      AttributeSet q;
      q.set(Attribute::make_string(CKA_APPLICATION, app));
      std::set<std::string> got;
      for (const CachedObject* o : cache.candidates(q)) got.insert(o->uid.str());
      EXPECT_EQ(got, by_app[app]) << app;
    }
    EXPECT_EQ(cache.candidates(AttributeSet{}).size(), ref.size());
  };
  for (int step = 0; step < 20000; ++step) {
    const std::string uid = "uid-" + std::to_string(rng() % 1500);
    const std::string label = "label-" + std::to_string(rng() % 40);
    const std::string app = std::string(1, static_cast<char>('a' + rng() % 3));
    switch (rng() % 5) {
      case 4: {  // a new session object, listed by the next search (put_unlisted); an existing uid is replaced
        CachedObject o;
        o.uid = uid;
        o.complete = true;
        o.attrs = std::make_shared<const AttributeSet>(attrs_of(label, app));
        const bool had_handle = ref.count(uid) != 0 && cache.by_uid(uid)->handle != CK_INVALID_HANDLE;
        const CK_OBJECT_HANDLE before = had_handle ? cache.by_uid(uid)->handle : CK_INVALID_HANDLE;
        const CK_OBJECT_HANDLE h = cache.put_unlisted(std::move(o));
        EXPECT_EQ(cache.by_handle(h), cache.by_uid(uid)) << "reachable by its handle at once";
        if (had_handle) {
          EXPECT_EQ(h, before) << "a replaced object keeps its handle";
        }
        ref[uid] = {label, app, true};
        break;
      }
      case 0: {  // insert or replace, verified
        CachedObject o;
        o.uid = uid;
        o.is_token = true;
        o.complete = true;
        o.attrs = std::make_shared<const AttributeSet>(attrs_of(label, app));
        const bool had_handle = ref.count(uid) != 0 && cache.by_uid(uid)->handle != CK_INVALID_HANDLE;
        const CK_OBJECT_HANDLE before = had_handle ? cache.by_uid(uid)->handle : CK_INVALID_HANDLE;
        const CK_OBJECT_HANDLE h = cache.put(std::move(o));
        if (had_handle) {
          EXPECT_EQ(h, before) << "a replaced object keeps its handle";
        }
        ref[uid] = {label, app, true};
        break;
      }
      case 1: {  // insert or replace, listed by keys only (a record not verified yet)
        CachedObject o;
        o.uid = uid;
        o.is_token = true;
        const bool had_handle = ref.count(uid) != 0 && cache.by_uid(uid)->handle != CK_INVALID_HANDLE;
        cache.put(std::move(o), ObjectCache::keys_of(attrs_of(label, app)));
        // The handle survives a replacement (callers may hold it); the content is unverified.
        ref[uid] = {label, app, false};
        if (had_handle) {
          CachedObject* m = cache.by_uid(uid);
          m->attrs = std::make_shared<const AttributeSet>(attrs_of(label, app));  // "verify" it
          ref[uid].verified = true;
        }
        break;
      }
      case 2:  // erase (absent uids too)
        cache.erase_uid(uid);
        ref.erase(uid);
        break;
      case 3: {  // verify / change in place, then reindex
        CachedObject* m = cache.by_uid(uid);
        if (m == nullptr) break;
        m->attrs = std::make_shared<const AttributeSet>(attrs_of(label, app));
        cache.reindex(*m, ObjectCache::keys_of(*m->attrs));
        cache.give_handle(*m);
        ref[uid] = {label, app, true};
        break;
      }
    }
    if (step % 997 == 0) {
      check();
      if (::testing::Test::HasFailure()) return;
    }
  }
  check();
}

TEST(ObjectCacheHandles, AreNeverReused) {
  ObjectCache cache;
  const CK_OBJECT_HANDLE first = cache.put(cached(1));
  cache.erase_uid("uid-1");
  const CK_OBJECT_HANDLE again = cache.put(cached(1));
  EXPECT_NE(first, again);
  EXPECT_NE(first, CK_INVALID_HANDLE);
  EXPECT_NE(again, CK_INVALID_HANDLE);
}

// Whether a search by `attr` alone has exactly the object `uid` as its candidate.
bool found_only_by(ObjectCache& cache, std::string_view uid, Attribute attr) {
  AttributeSet q;
  q.set(std::move(attr));
  const auto c = cache.candidates(q);
  return c.size() == 1 && c.front()->uid == uid;
}

// keys_of() stops at the largest indexed type (CKA_ID): a key whose indexed attributes sit at both
// ends of that range, with many attributes after it, is found by each of them; attributes past
// CKA_ID are not indexed.
TEST(ObjectCacheIndexKeys, EveryIndexedTypeOfAKeyIsListed) {
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  a.set(Attribute::make_string(CKA_LABEL, "k"));
  a.set(Attribute::make_string(CKA_APPLICATION, "app"));
  a.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
  a.set(Attribute::make_string(CKA_ID, "id-1"));
  for (CK_ATTRIBUTE_TYPE t : {CKA_SENSITIVE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_SIGN, CKA_EXTRACTABLE}) {
    a.set(Attribute::make_bool(t, true));
  }
  a.set(Attribute::make_ulong(CKA_VALUE_LEN, 32));
  const PostingKeys keys = ObjectCache::keys_of(a);
  EXPECT_EQ(keys.count, 5);
  ObjectCache cache;
  CachedObject o;
  o.uid = "uid-key";
  o.is_token = true;
  o.complete = true;
  o.attrs = std::make_shared<const AttributeSet>(std::move(a));
  cache.put(std::move(o));
  cache.put(cached(1));  // another object, so a query that indexes nothing would list two
  EXPECT_TRUE(found_only_by(cache, "uid-key", Attribute::make_string(CKA_ID, "id-1")));
  EXPECT_TRUE(found_only_by(cache, "uid-key", Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES)));
  EXPECT_TRUE(found_only_by(cache, "uid-key", Attribute::make_string(CKA_APPLICATION, "app")));
  EXPECT_TRUE(found_only_by(cache, "uid-key", Attribute::make_string(CKA_LABEL, "k")));
  AttributeSet sensitive;
  sensitive.set(Attribute::make_bool(CKA_SENSITIVE, true));
  EXPECT_EQ(cache.candidates(sensitive).size(), 2u);  // not indexed: every object is a candidate
}

// A produced key holds most of its attributes in common with its siblings (AttributeSet::over):
// its posting keys are those of the same attributes held plainly, whichever part holds them.
TEST(ObjectCacheIndexKeys, KeysOfASetOverSharedEntriesAreThoseOfThePlainSet) {
  AttributeSet common;
  common.set(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  common.set(Attribute::make_string(CKA_LABEL, "shared"));
  common.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
  common.set(Attribute::make_bool(CKA_SENSITIVE, true));
  AttributeSet layered = AttributeSet::over(std::move(common).share());
  layered.set(Attribute::make_string(CKA_APPLICATION, "own app"));
  layered.set(Attribute::make_string(CKA_ID, "own id"));
  layered.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 1)));
  AttributeSet plain;
  for (const auto& [t, a] : layered) plain.set(a.clone());
  ASSERT_FALSE(plain.shares_with(layered));
  const PostingKeys from_layered = ObjectCache::keys_of(layered);
  const PostingKeys from_plain = ObjectCache::keys_of(plain);
  ASSERT_EQ(from_layered.count, 5);
  ASSERT_EQ(from_plain.count, 5);
  std::vector<std::uint64_t> a(from_layered.key.begin(), from_layered.key.begin() + from_layered.count);
  std::vector<std::uint64_t> b(from_plain.key.begin(), from_plain.key.begin() + from_plain.count);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  ObjectCache cache;
  CachedObject o;
  o.uid = "uid-layered";
  o.complete = true;
  o.attrs = std::make_shared<const AttributeSet>(std::move(layered));
  cache.put(std::move(o));
  cache.put(cached(1));
  EXPECT_TRUE(found_only_by(cache, "uid-layered", Attribute::make_string(CKA_LABEL, "shared")));
  EXPECT_TRUE(found_only_by(cache, "uid-layered", Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES)));
  EXPECT_TRUE(found_only_by(cache, "uid-layered", Attribute::make_string(CKA_APPLICATION, "own app")));
  EXPECT_TRUE(found_only_by(cache, "uid-layered", Attribute::make_string(CKA_ID, "own id")));
}

// The handle index (an open-addressing table keyed by the handle itself): every live handle finds
// its object through growth and backward-shift erasure, erased and never-issued handles find
// nothing, and a replaced object (same uid) keeps its handle and is found at its new content.
TEST(ObjectCacheHandles, IndexFindsEveryLiveHandleThroughGrowthAndErasure) {
  ObjectCache cache;
  std::map<CK_OBJECT_HANDLE, std::string> live;
  std::vector<CK_OBJECT_HANDLE> gone;
  for (int i = 0; i < 2000; ++i) {
    const CK_OBJECT_HANDLE h = cache.put(cached(i));
    ASSERT_NE(h, CK_INVALID_HANDLE);
    live[h] = "uid-" + std::to_string(i);
  }
  for (auto it = live.begin(); it != live.end();) {  // every third one, spread over the table
    if (it->first % 3 == 0) {
      cache.erase_uid(it->second);
      gone.push_back(it->first);
      it = live.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [h, uid] : live) {
    const CachedObject* o = cache.by_handle(h);
    ASSERT_NE(o, nullptr) << h;
    EXPECT_EQ(o->uid, uid);
    EXPECT_EQ(o->handle, h);
  }
  for (CK_OBJECT_HANDLE h : gone) EXPECT_EQ(cache.by_handle(h), nullptr) << h;
  EXPECT_EQ(cache.by_handle(CK_INVALID_HANDLE), nullptr);
  EXPECT_EQ(cache.by_handle(live.rbegin()->first + 1000), nullptr);
  // Replacing an object keeps its handle and its entry.
  const auto [h, uid] = *live.begin();
  CachedObject replacement = cached(0);
  replacement.uid = uid;
  EXPECT_EQ(cache.put(std::move(replacement)), h);
  EXPECT_EQ(cache.by_handle(h)->uid, uid);
  EXPECT_EQ(label_of(cache.by_handle(h)), "object-0");
}

// Objects put unlisted (new session objects): reachable by handle and uid at once, in no posting
// list until a search lists them, and their own way out of the waiting list when erased or
// changed before that, whichever of them goes first.
TEST(ObjectCacheUnlisted, ListedByTheNextSearchAndErasedFromAnyPlace) {
  ObjectCache cache;
  std::vector<CK_OBJECT_HANDLE> handles;
  for (int i = 0; i < 6; ++i) {
    CachedObject o = cached(i);
    o.is_token = false;
    o.owner = 5;
    handles.push_back(cache.put_unlisted(std::move(o)));
    EXPECT_NE(handles.back(), CK_INVALID_HANDLE);
    EXPECT_EQ(cache.by_handle(handles.back()), cache.by_uid("uid-" + std::to_string(i)));
  }
  EXPECT_TRUE(cache.has_session_objects(5));
  // Erased while waiting: the first, the last and one in the middle.
  cache.erase_uid("uid-0");
  cache.erase_uid("uid-5");
  cache.erase_uid("uid-2");
  EXPECT_EQ(cache.by_handle(handles[0]), nullptr);
  // Changed while waiting: listed under its new label at once, not again by the search.
  CachedObject* changed = cache.by_uid("uid-3");
  AttributeSet a = changed->attrs->clone();
  a.set(Attribute::make_string(CKA_LABEL, "renamed"));
  changed->attrs = std::make_shared<const AttributeSet>(std::move(a));
  cache.reindex(*changed, ObjectCache::keys_of(*changed->attrs));
  for (int i : {1, 4}) {
    const auto c = cache.candidates(label_query("object-" + std::to_string(i)));
    ASSERT_EQ(c.size(), 1u) << i;
    EXPECT_EQ(c[0]->handle, handles[static_cast<std::size_t>(i)]);
  }
  for (int i : {0, 2, 3, 5}) EXPECT_TRUE(cache.candidates(label_query("object-" + std::to_string(i))).empty()) << i;
  ASSERT_EQ(cache.candidates(label_query("renamed")).size(), 1u);
  AttributeSet odd;
  odd.set(Attribute::make_string(CKA_APPLICATION, "odd"));
  EXPECT_EQ(cache.candidates(odd).size(), 2u) << "uid-1 and uid-3, each listed once";
  // Listed now: erased from the posting lists as any other object.
  cache.erase_uid("uid-1");
  EXPECT_EQ(cache.candidates(odd).size(), 1u);
  EXPECT_EQ(cache.candidates(AttributeSet{}).size(), 2u);
  cache.erase_uid("uid-3");
  cache.erase_uid("uid-4");
  EXPECT_FALSE(cache.has_session_objects(5));
  EXPECT_EQ(cache.size(), 0u);
}

// A uid already in the cache is replaced as put() replaces it: same handle, listed at once.
TEST(ObjectCacheUnlisted, AnExistingUidIsReplacedInPlace) {
  ObjectCache cache;
  const CK_OBJECT_HANDLE h = cache.put(cached(1));
  CachedObject again = cached(1);
  AttributeSet a = again.attrs->clone();
  a.set(Attribute::make_string(CKA_LABEL, "second"));
  again.attrs = std::make_shared<const AttributeSet>(std::move(a));
  EXPECT_EQ(cache.put_unlisted(std::move(again)), h);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.candidates(label_query("object-1")).empty());
  ASSERT_EQ(cache.candidates(label_query("second")).size(), 1u);
}

// The per-session count behind C_CloseSession's shortcut: session objects counted by owner as
// they enter (put, also replacing one of the same uid) and leave (erase_uid); token objects never.
TEST(ObjectCacheSessionObjects, CountedByOwnerThroughPutReplaceAndErase) {
  ObjectCache cache;
  const auto session_object = [](int i, CK_SESSION_HANDLE owner) {
    CachedObject o = cached(i);
    o.is_token = false;
    o.owner = owner;
    return o;
  };
  cache.put(cached(1));  // a token object: no owner
  EXPECT_FALSE(cache.has_session_objects(0));
  cache.put(session_object(2, 7));
  cache.put(session_object(3, 7));
  cache.put(session_object(4, 8));
  EXPECT_TRUE(cache.has_session_objects(7));
  EXPECT_TRUE(cache.has_session_objects(8));
  EXPECT_FALSE(cache.has_session_objects(9));
  cache.put(session_object(2, 7));  // same uid again: replaced, still counted once
  cache.erase_uid("uid-2");
  EXPECT_TRUE(cache.has_session_objects(7));  // uid-3 is left
  cache.erase_uid("uid-3");
  EXPECT_FALSE(cache.has_session_objects(7));
  cache.erase_uid("uid-3");  // absent: no effect on anyone's count
  EXPECT_TRUE(cache.has_session_objects(8));
  cache.erase_uid("uid-1");  // the token object
  EXPECT_TRUE(cache.has_session_objects(8));
  cache.erase_uid("uid-4");
  EXPECT_FALSE(cache.has_session_objects(8));
}

}  // namespace
}  // namespace craton::token
