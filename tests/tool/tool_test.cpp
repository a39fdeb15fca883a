// Tests of craton-hsm-util: --help/--version, --show-slots, --init-token, --delete-token.
#include "tool_fixture.h"

namespace craton::test {
namespace {

// ---- basics ---------------------------------------------------------------------------------

TEST_F(ToolTest, HelpExitsZeroAndListsFlags) {
  const RunResult r = run_tool({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* flag : {"--show-slots", "--init-token", "--delete-token", "--import", "--slot", "--free",
                           "--token", "--serial", "--label", "--so-pin", "--pin", "--id", "--no-public-key",
                           "--file-pin", "--force", "--aes", "--secret-type", "--module"}) {
    EXPECT_TRUE(contains(r.output, flag)) << flag;
  }
}

TEST_F(ToolTest, VersionExitsZero) {
  const RunResult r = run_tool({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(contains(r.output, "craton-hsm-util 0.")) << r.output;
}

TEST_F(ToolTest, NoActionOrUnknownFlagFails) {
  EXPECT_EQ(run_tool({}).status, 1);
  EXPECT_EQ(run_tool({"--no-such-flag"}).status, 1);
  EXPECT_EQ(run_tool({"--show-slots", "--init-token"}).status, 1);
}

TEST_F(ToolTest, UnloadableModuleFails) {
  const RunResult r = run_tool({"--show-slots", "--module", home_->dir() + "/missing.so"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "Could not load the PKCS#11 module")) << r.output;
}

// ---- --show-slots ---------------------------------------------------------------------------

TEST_F(ToolTest, ShowSlotsOnEmptyDirectoryShowsTheFreeSlot) {
  const RunResult r = run_tool({"--show-slots"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Available slots:"));
  EXPECT_TRUE(contains(r.output, "Slot 0\n"));
  EXPECT_TRUE(contains(r.output, "Initialized:          no"));
  EXPECT_FALSE(contains(r.output, "Slot 1\n"));
}

TEST_F(ToolTest, ShowSlotsWithExplicitModule) {
  const RunResult r = run_tool({"--show-slots", "--module", CRATON_MODULE_PATH});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Slot 0\n"));
}

// ---- --init-token ---------------------------------------------------------------------------

TEST_F(ToolTest, InitFreeSlotThenShowSlots) {
  const RunResult r = init("alpha");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "The token has been initialized in slot 0")) << r.output;
  const RunResult s = run_tool({"--show-slots"});
  ASSERT_EQ(s.status, 0) << s.output;
  EXPECT_TRUE(contains(s.output, "Label:                alpha\n")) << s.output;
  EXPECT_TRUE(contains(s.output, "User PIN init.:       yes")) << s.output;
  EXPECT_TRUE(contains(s.output, "Slot 1\n")) << s.output;  // the new free slot
  EXPECT_TRUE(contains(s.output, "Initialized:          no")) << s.output;
}

TEST_F(ToolTest, InitSetsTheUserPin) {
  ASSERT_EQ(init("alpha").status, 0);
  ModuleSession m;
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(m.f->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_OK);
  std::string pin = kUser;
  EXPECT_EQ(m.f->C_Login(h, CKU_USER, utf8(pin), pin.size()), CKR_OK);
}

TEST_F(ToolTest, ReinitWithRightSoPinKeepsTheSlot) {
  ASSERT_EQ(init("alpha").status, 0);
  const RunResult r = run_tool({"--init-token", "--slot", "0", "--label", "beta", "--so-pin", kSo, "--pin", kUser});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "The token has been initialized in slot 0")) << r.output;
  const auto t = tokens();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].second, "beta");
}

TEST_F(ToolTest, ReinitWithWrongSoPinFails) {
  ASSERT_EQ(init("alpha").status, 0);
  const RunResult r = run_tool({"--init-token", "--slot", "0", "--label", "beta", "--so-pin", "wrong-pin", "--pin", kUser});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "CKR_PIN_INCORRECT")) << r.output;
  const auto t = tokens();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].second, "alpha");
}

TEST_F(ToolTest, InitReadsPinsFromStdinWhenNotATerminal) {
  const RunResult r = run_tool({"--init-token", "--free", "--label", "piped"}, std::string(kSo) + "\n" + kUser + "\n");
  ASSERT_EQ(r.status, 0) << r.output;
  ModuleSession m;
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(m.f->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_OK);
  std::string pin = kUser;
  EXPECT_EQ(m.f->C_Login(h, CKU_USER, utf8(pin), pin.size()), CKR_OK);
}

TEST_F(ToolTest, InitRejectsBadArguments) {
  EXPECT_EQ(run_tool({"--init-token", "--free", "--so-pin", kSo, "--pin", kUser}).status, 1);  // no label
  EXPECT_EQ(init(std::string(33, 'x')).status, 1);                                           // label too long
  EXPECT_EQ(run_tool({"--init-token", "--slot", "7", "--label", "x", "--so-pin", kSo, "--pin", kUser}).status, 1);
  const RunResult r = run_tool({"--init-token", "--free", "--label", "x"});  // no PINs, empty stdin
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "No SO PIN given")) << r.output;
  EXPECT_TRUE(tokens().empty());
}

// ---- --delete-token -------------------------------------------------------------------------

TEST_F(ToolTest, DeleteByLabel) {
  ASSERT_EQ(init("alpha").status, 0);
  ASSERT_EQ(init("beta").status, 0);
  const RunResult r = run_tool({"--delete-token", "--token", "alpha"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "has been deleted")) << r.output;
  const auto t = tokens();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].second, "beta");
}

TEST_F(ToolTest, DeleteBySerial) {
  ASSERT_EQ(init("alpha").status, 0);
  const auto before = tokens();
  ASSERT_EQ(before.size(), 1u);
  const RunResult r = run_tool({"--delete-token", "--serial", before[0].first});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, before[0].first));
  EXPECT_TRUE(tokens().empty());
}

TEST_F(ToolTest, DeleteUnknownLabelFails) {
  ASSERT_EQ(init("alpha").status, 0);
  const RunResult r = run_tool({"--delete-token", "--token", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, "ERROR: Could not find a token with the label 'nope'")) << r.output;
  EXPECT_EQ(tokens().size(), 1u);
}

TEST_F(ToolTest, DeleteAmbiguousLabelFailsListingSerials) {
  ASSERT_EQ(init("twin").status, 0);
  ASSERT_EQ(init("twin").status, 0);
  const auto t = tokens();
  ASSERT_EQ(t.size(), 2u);
  const RunResult r = run_tool({"--delete-token", "--token", "twin"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.output, t[0].first)) << r.output;
  EXPECT_TRUE(contains(r.output, t[1].first)) << r.output;
  EXPECT_EQ(tokens().size(), 2u);
}

TEST_F(ToolTest, DeleteNeedsExactlyOneSelector) {
  EXPECT_EQ(run_tool({"--delete-token"}).status, 1);
  EXPECT_EQ(run_tool({"--delete-token", "--token", "a", "--serial", "b"}).status, 1);
}

}  // namespace
}  // namespace craton::test
