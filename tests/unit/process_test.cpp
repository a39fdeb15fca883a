// current_pid() (common/process.h): the cached process id, refreshed in children of fork().
#include "common/process.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace craton {
namespace {

TEST(ProcessId, IsTheCallersProcessIdOnEveryThread) {
  EXPECT_EQ(current_pid(), ::getpid());
  pid_t seen = 0;
  std::thread t([&] { seen = current_pid(); });
  t.join();
  EXPECT_EQ(seen, ::getpid());
}

// The id is cached before the fork: the child must not see its parent's. The child reports
// through its exit status (0: its own id; 1: the parent's; 2: something else).
TEST(ProcessId, ChildrenOfForkSeeTheirOwnIdAndSoDoTheirChildren) {
  const pid_t parent = current_pid();
  ASSERT_EQ(parent, ::getpid());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = current_pid() == ::getpid() ? 0 : current_pid() == parent ? 1 : 2;
    if (code == 0) {  // and one generation further
      const pid_t grandchild = ::fork();
      if (grandchild == 0) ::_exit(current_pid() == ::getpid() && current_pid() != parent ? 0 : 3);
      int st = 0;
      if (grandchild < 0 || ::waitpid(grandchild, &st, 0) != grandchild || !WIFEXITED(st)) ::_exit(4);
      code = WEXITSTATUS(st);
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(current_pid(), parent);  // the parent keeps its own
}

}  // namespace
}  // namespace craton
