// SQLite-backend specifics: files and modes, durability, crash safety and fork safety.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "storage_test_util.h"

namespace craton::storage {
namespace {

using testing::put;
using testing::ScratchDir;
using testing::to_bytes;

std::unique_ptr<StoreBackend> sqlite_backend(const std::string& dir, unsigned umask = 077) {
  BackendOptions opts;
  opts.directory = dir;
  opts.umask = umask;
  auto b = make_backend("sqlite", opts);
  EXPECT_TRUE(b.ok());
  return b.ok() ? std::move(b).value() : nullptr;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Waits for a forked child and returns its exit status (or -signal).
int wait_child(pid_t pid) {
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1000;
}

TEST(SqliteStore, LayoutAndModes) {
  ScratchDir scratch;
  const std::string top = scratch.path() + "/a/b/tokens";  // parents are created too
  auto backend = sqlite_backend(top, 027);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(mode_of(top), 0750U);
  auto s = backend->create_token("tok");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(put(**s, "a", "1").ok());
  EXPECT_EQ(mode_of(top + "/tok"), 0750U);
  EXPECT_EQ(mode_of(top + "/tok/token.sqlite"), 0640U);
  EXPECT_TRUE(std::filesystem::exists(top + "/tok/token.sqlite-wal"));
  EXPECT_EQ(mode_of(top + "/tok/token.sqlite-wal"), 0640U);
  ASSERT_TRUE(backend->with_backend_lock([] { return ok_status(); }).ok());
  EXPECT_EQ(mode_of(top + "/.craton.lock"), 0640U);
  // Directories without a database are not tokens.
  std::filesystem::create_directory(top + "/stray");
  auto names = backend->list_tokens();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"tok"});
  // Deleting removes the directory with its WAL and SHM files.
  s->reset();
  ASSERT_TRUE(backend->delete_token("tok").ok());
  EXPECT_FALSE(std::filesystem::exists(top + "/tok"));
}

TEST(SqliteStore, UncreatableDirectoryIsAClearError) {
  ScratchDir scratch;
  const std::string file = scratch.path() + "/plain-file";
  { std::ofstream(file) << "x"; }
  BackendOptions opts;
  opts.directory = file + "/tokens";
  auto b = make_backend("sqlite", opts);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.rv(), CKR_DEVICE_ERROR);
  EXPECT_STREQ(b.error().reason, "cannot create token directory");
}

TEST(SqliteStore, DurableAcrossReopen) {
  ScratchDir scratch;
  std::uint64_t gen = 0;
  {
    auto backend = sqlite_backend(scratch.path());
    auto s = backend->create_token("t");
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(put(**s, "a", "kept").ok());
    ASSERT_TRUE((*s)->write([](Transaction& t) { return t.put_meta("so", to_bytes("meta")); }).ok());
    gen = testing::generation_of(**s);
  }
  auto backend = sqlite_backend(scratch.path());
  auto s = backend->open_token("t");
  ASSERT_TRUE(s.ok());
  auto c = (*s)->changes_since(0);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->generation, gen);
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].blob, to_bytes("kept"));
  EXPECT_EQ((*s)->read_meta("so")->value_or(Bytes{}), to_bytes("meta"));
  EXPECT_FALSE(*(*s)->changed_since(gen));
}

// A writer that dies inside its transaction leaves the last committed state, and the lock free.
TEST(SqliteStore, ChildDyingMidTransactionLeavesCommittedState) {
  ScratchDir scratch;
  auto backend = sqlite_backend(scratch.path());
  auto s = backend->create_token("t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(put(**s, "a", "committed").ok());
  const auto gen = testing::generation_of(**s);

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto b = sqlite_backend(scratch.path());
    auto cs = b->open_token("t");
    if (!cs.ok()) ::_exit(2);
    static_cast<void>((*cs)->write([](Transaction& t) -> Status {
      static_cast<void>(t.put_object("a", to_bytes("torn")));
      static_cast<void>(t.put_object("b", to_bytes("half")));
      ::_exit(0);  // dies holding the write lock, nothing committed
    }));
    ::_exit(3);
  }
  ASSERT_EQ(wait_child(pid), 0);

  EXPECT_FALSE(*(*s)->changed_since(gen));
  auto c = (*s)->changes_since(0);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].blob, to_bytes("committed"));
  ASSERT_TRUE(put(**s, "c", "after").ok());  // the dead writer's lock is gone
}

// SIGKILL at a random point of a stream of two-row transactions never leaves one row alone.
TEST(SqliteStore, KilledWriterNeverTearsATransaction) {
  ScratchDir scratch;
  auto backend = sqlite_backend(scratch.path());
  ASSERT_TRUE(backend->create_token("t").ok());

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto b = sqlite_backend(scratch.path());
    auto cs = b->open_token("t");
    if (!cs.ok()) ::_exit(2);
    for (std::uint32_t i = 0;; ++i) {
      const Bytes v = to_bytes(std::to_string(i));
      static_cast<void>((*cs)->write([&](Transaction& t) -> Status {
        CRATON_TRY(t.put_object("left", v));
        return t.put_object("right", v);
      }));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_EQ(wait_child(pid), -SIGKILL);

  auto s = backend->open_token("t");
  ASSERT_TRUE(s.ok());
  auto c = (*s)->changes_since(0);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->upserts.size(), 2U);
  EXPECT_EQ(c->upserts[0].blob, c->upserts[1].blob);
  EXPECT_GT(c->generation, 0U);
}

// A store used in a forked child reconnects instead of touching the parent's SQLite handle.
TEST(SqliteStore, StoreIsUsableAfterFork) {
  ScratchDir scratch;
  auto backend = sqlite_backend(scratch.path());
  auto s = backend->create_token("t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(put(**s, "parent", "1").ok());
  const auto gen = testing::generation_of(**s);

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const bool ok = put(**s, "child", "2").ok() && (*s)->changes_since(0).ok();
    ::_exit(ok ? 0 : 1);
  }
  ASSERT_EQ(wait_child(pid), 0);
  EXPECT_TRUE(*(*s)->changed_since(gen));
  auto c = (*s)->changes_since(gen);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->upserts.size(), 1U);
  EXPECT_EQ(c->upserts[0].uid, "child");
  ASSERT_TRUE(put(**s, "parent-again", "3").ok());
}

// The child keeps using an inherited store after the parent closed its own connection: the
// parent must not treat itself as the last user and delete the WAL under the child.
TEST(SqliteStore, ForkedChildSurvivesParentClosing) {
  ScratchDir scratch;
  auto backend = sqlite_backend(scratch.path());
  auto s = backend->create_token("t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(put(**s, "p", "1").ok());
  std::array<int, 2> to_parent{}, to_child{};
  ASSERT_EQ(::pipe(to_parent.data()), 0);
  ASSERT_EQ(::pipe(to_child.data()), 0);

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    char c = 0;
    bool ok = put(**s, "c1", "2").ok();
    ok = ::write(to_parent[1], "x", 1) == 1 && ok;
    ok = ::read(to_child[0], &c, 1) == 1 && ok;  // parent closed and wrote "q" meanwhile
    auto seen = (*s)->changes_since(0);
    ok = ok && seen.ok() && seen->upserts.size() == 3;
    ok = put(**s, "c2", "3").ok() && ok;
    ::_exit(ok ? 0 : 1);
  }
  char c = 0;
  ASSERT_EQ(::read(to_parent[0], &c, 1), 1);
  s->reset();
  backend.reset();
  backend = sqlite_backend(scratch.path());
  auto again = backend->open_token("t");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(put(**again, "q", "4").ok());
  ASSERT_EQ(::write(to_child[1], "x", 1), 1);
  EXPECT_EQ(wait_child(pid), 0);
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) ::close(fd);

  auto all = (*again)->changes_since(0);
  ASSERT_TRUE(all.ok());
  std::vector<std::string> uids;
  for (const auto& row : all->upserts) uids.push_back(row.uid);
  std::sort(uids.begin(), uids.end());
  EXPECT_EQ(uids, (std::vector<std::string>{"c1", "c2", "p", "q"}));
}

TEST(SqliteStore, DbAliasSelectsSqlite) {
  ScratchDir scratch;
  BackendOptions opts;
  opts.directory = scratch.path();
  auto b = make_backend("db", opts);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE((*b)->create_token("t").ok());
  EXPECT_TRUE(std::filesystem::exists(scratch.path() + "/t/token.sqlite"));
}

}  // namespace
}  // namespace craton::storage
