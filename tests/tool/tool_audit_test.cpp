// `craton-hsm-util audit verify`: the module's own audit log (written while the tool initialises
// a token) verifies; an edited record, a cut-off tail or the wrong key make it exit 2 naming the
// first bad record.
#include <filesystem>
#include <fstream>

#include "tool_fixture.h"

namespace craton::test {
namespace {

class ToolAuditTest : public ToolTest {
 protected:
  void SetUp() override {
    ToolTest::SetUp();
    ASSERT_EQ(init("audited").status, 0);
  }
  std::string audit_dir() const { return home_->tokendir() + "/audit"; }
  std::vector<std::string> logs() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(audit_dir())) {
      if (e.path().extension() == ".jsonl") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::vector<std::string> lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  static void write(const std::string& path, const std::vector<std::string>& ls) {
    std::ofstream out(path, std::ios::trunc);
    for (const auto& l : ls) out << l << '\n';
  }
};

TEST_F(ToolAuditTest, VerifiesTheConfiguredLog) {
  const RunResult r = run_tool({"audit", "verify"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, ": OK, ")) << r.output;
  const RunResult by_dir = run_tool({"audit", "verify", "--dir", audit_dir(), "--key-file",
                                     home_->tokendir() + "/.audit.key"});
  EXPECT_EQ(by_dir.status, 0) << by_dir.output;
  std::vector<std::string> args{"audit", "verify"};
  for (const auto& l : logs()) args.push_back(l);
  const RunResult by_files = run_tool(args);
  EXPECT_EQ(by_files.status, 0) << by_files.output;
}

TEST_F(ToolAuditTest, EditedRecordIsNamed) {
  const std::string log = logs().front();
  auto ls = lines(log);
  ASSERT_GE(ls.size(), 4u);
  const std::size_t at = ls[2].find("\"pid\":");
  ASSERT_NE(at, std::string::npos);
  ls[2].insert(at + 6, "1");  // a different process id
  write(log, ls);
  const RunResult r = run_tool({"audit", "verify"});
  EXPECT_EQ(r.status, 2) << r.output;
  const std::string name = std::filesystem::path(log).filename().string();
  EXPECT_TRUE(contains(r.output, "FIRST BAD RECORD seq 3 at " + name + ":3")) << r.output;
  EXPECT_TRUE(contains(r.output, "ERROR: audit verification failed")) << r.output;
}

TEST_F(ToolAuditTest, CutOffTailIsReported) {
  const std::string log = logs().front();
  auto ls = lines(log);
  ls.pop_back();
  write(log, ls);
  const RunResult r = run_tool({"audit", "verify", "--dir", audit_dir()});
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "records were cut off the end")) << r.output;
}

TEST_F(ToolAuditTest, WrongOrMissingKey) {
  const std::string wrong = home_->dir() + "/wrong.key";
  std::ofstream(wrong) << std::string(32, 'k');
  const RunResult r = run_tool({"audit", "verify", "--key-file", wrong});
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "MAC does not match")) << r.output;
  const RunResult missing = run_tool({"audit", "verify", "--key-file", home_->dir() + "/nope.key"});
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_TRUE(contains(missing.output, "Could not read the audit key")) << missing.output;
}

}  // namespace
}  // namespace craton::test
