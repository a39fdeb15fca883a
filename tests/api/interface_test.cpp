// Function tables and interface discovery (PKCS#11 3.2 §5.4: C_GetFunctionList, C_GetInterfaceList,
// C_GetInterface, C_GetInfo) and the exact probe sequence NSS 3.87 uses to load a module.
#include <cstring>

#include "module_fixture.h"

namespace craton::test {
namespace {

// The module is loaded but not initialised: interface discovery is legal before C_Initialize.
class InterfaceTest : public ApiTest {
 protected:
  void SetUp() override {
    home_ = std::make_unique<TempHome>(extra_config());
    f = Module::get().fl();
  }
  template <class Fn>
  Fn sym(const char* name) {
    Fn p = Module::get().symbol<Fn>(name);
    EXPECT_NE(p, nullptr) << name << " is not exported";
    return p;
  }
  std::vector<CK_INTERFACE> interface_list() {
    auto get_list = sym<CK_C_GetInterfaceList>("C_GetInterfaceList");
    CK_ULONG n = 0;
    EXPECT_EQ(get_list(nullptr, &n), CKR_OK);
    std::vector<CK_INTERFACE> list(n);
    EXPECT_EQ(get_list(list.data(), &n), CKR_OK);
    list.resize(n);
    return list;
  }
  static CK_VERSION version_of(const CK_INTERFACE& i) { return *static_cast<const CK_VERSION*>(i.pFunctionList); }
  static CK_VERSION version_of(const CK_INTERFACE* i) { return version_of(*i); }
};

// A blank-padded fixed field: printable ASCII only (no NUL terminator, no garbage) and not blank.
template <std::size_t N>
void expect_blank_padded(const CK_UTF8CHAR (&field)[N], const char* what) {
  for (std::size_t i = 0; i < N; ++i) {
    EXPECT_TRUE(field[i] >= 0x20 && field[i] < 0x7F) << what << " byte " << i << " = " << int(field[i]);
  }
  EXPECT_NE(field[0], ' ') << what << " is blank or starts with a blank";
}

TEST_F(InterfaceTest, GetFunctionListReturnsThe240Table) {
  auto get_fl = sym<CK_C_GetFunctionList>("C_GetFunctionList");
  CK_FUNCTION_LIST_PTR fl = nullptr;
  ASSERT_EQ(get_fl(&fl), CKR_OK);
  ASSERT_NE(fl, nullptr);
  EXPECT_EQ(fl->version.major, 2);
  EXPECT_EQ(fl->version.minor, 40);
  EXPECT_EQ(fl->C_Initialize, f->C_Initialize);
  EXPECT_EQ(fl->C_WaitForSlotEvent, f->C_WaitForSlotEvent);
  EXPECT_EQ(get_fl(nullptr), CKR_ARGUMENTS_BAD);
}

TEST_F(InterfaceTest, GetInterfaceListHasThreeStandardInterfaces32First) {
  auto get_list = sym<CK_C_GetInterfaceList>("C_GetInterfaceList");
  CK_ULONG n = 0;
  ASSERT_EQ(get_list(nullptr, &n), CKR_OK);
  ASSERT_EQ(n, 3u);
  const auto list = interface_list();
  ASSERT_EQ(list.size(), 3u);
  const CK_VERSION expected[3] = {{3, 2}, {3, 0}, {2, 40}};
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_NE(list[i].pInterfaceName, nullptr);
    EXPECT_STREQ(reinterpret_cast<const char*>(list[i].pInterfaceName), "PKCS 11");
    ASSERT_NE(list[i].pFunctionList, nullptr);
    EXPECT_EQ(version_of(list[i]).major, expected[i].major) << i;
    EXPECT_EQ(version_of(list[i]).minor, expected[i].minor) << i;
    EXPECT_EQ(list[i].flags & CKF_INTERFACE_FORK_SAFE, 0u);
  }
}

TEST_F(InterfaceTest, GetInterfaceListBufferProtocol) {
  auto get_list = sym<CK_C_GetInterfaceList>("C_GetInterfaceList");
  CK_INTERFACE two[2] = {};
  CK_ULONG n = 2;
  EXPECT_EQ(get_list(two, &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 3u);
  n = 0;
  EXPECT_EQ(get_list(two, &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 3u);
  CK_INTERFACE five[5] = {};
  n = 5;
  EXPECT_EQ(get_list(five, &n), CKR_OK);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(get_list(nullptr, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(get_list(five, nullptr), CKR_ARGUMENTS_BAD);
}

TEST_F(InterfaceTest, GetInterfaceDefaultIs32) {
  auto get_if = sym<CK_C_GetInterface>("C_GetInterface");
  CK_INTERFACE_PTR i = nullptr;
  ASSERT_EQ(get_if(nullptr, nullptr, &i, 0), CKR_OK);
  ASSERT_NE(i, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(i->pInterfaceName), "PKCS 11");
  EXPECT_EQ(version_of(i).major, 3);
  EXPECT_EQ(version_of(i).minor, 2);
  EXPECT_EQ(i->pFunctionList, static_cast<void*>(f));
  CK_UTF8CHAR name[] = "PKCS 11";
  CK_INTERFACE_PTR j = nullptr;
  ASSERT_EQ(get_if(name, nullptr, &j, 0), CKR_OK);
  EXPECT_EQ(j->pFunctionList, i->pFunctionList);
}

TEST_F(InterfaceTest, GetInterfaceByVersion) {
  auto get_if = sym<CK_C_GetInterface>("C_GetInterface");
  CK_UTF8CHAR name[] = "PKCS 11";
  for (CK_VERSION v : {CK_VERSION{3, 2}, CK_VERSION{3, 0}, CK_VERSION{2, 40}}) {
    CK_INTERFACE_PTR i = nullptr;
    ASSERT_EQ(get_if(name, &v, &i, 0), CKR_OK) << int(v.major) << "." << int(v.minor);
    EXPECT_EQ(version_of(i).major, v.major);
    EXPECT_EQ(version_of(i).minor, v.minor);
    CK_INTERFACE_PTR k = nullptr;
    ASSERT_EQ(get_if(nullptr, &v, &k, 0), CKR_OK);  // NULL name with a version
    EXPECT_EQ(k->pFunctionList, i->pFunctionList);
  }
  CK_VERSION unknown{9, 9};
  CK_INTERFACE_PTR i = nullptr;
  EXPECT_NE(get_if(name, &unknown, &i, 0), CKR_OK);
}

TEST_F(InterfaceTest, GetInterfaceRefusesUnknownNamesAndUnpromisedFlags) {
  auto get_if = sym<CK_C_GetInterface>("C_GetInterface");
  CK_UTF8CHAR vendor[] = "Vendor NSS FIPS Interface";
  CK_INTERFACE_PTR i = nullptr;
  EXPECT_NE(get_if(vendor, nullptr, &i, 0), CKR_OK);
  CK_UTF8CHAR almost[] = "PKCS#11";
  EXPECT_NE(get_if(almost, nullptr, &i, 0), CKR_OK);
  CK_UTF8CHAR name[] = "PKCS 11";
  // We do not promise CKF_INTERFACE_FORK_SAFE semantics (handles valid in a child).
  EXPECT_NE(get_if(name, nullptr, &i, CKF_INTERFACE_FORK_SAFE), CKR_OK);
  EXPECT_NE(get_if(nullptr, nullptr, &i, CKF_INTERFACE_FORK_SAFE), CKR_OK);
  EXPECT_EQ(get_if(name, nullptr, nullptr, 0), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(get_if(nullptr, nullptr, nullptr, 0), CKR_ARGUMENTS_BAD);
}

TEST_F(InterfaceTest, TablesShareOnePointerSet) {
  static_assert(sizeof(CK_FUNCTION_LIST) == 552 && sizeof(CK_FUNCTION_LIST_3_0) == 744 &&
                sizeof(CK_FUNCTION_LIST_3_2) == 840);
  const auto list = interface_list();
  ASSERT_EQ(list.size(), 3u);
  const auto* l32 = static_cast<const CK_FUNCTION_LIST_3_2*>(list[0].pFunctionList);
  const auto* l30 = static_cast<const CK_FUNCTION_LIST_3_0*>(list[1].pFunctionList);
  const auto* l240 = static_cast<const CK_FUNCTION_LIST*>(list[2].pFunctionList);
  EXPECT_EQ(l32->C_Initialize, l30->C_Initialize);
  EXPECT_EQ(l32->C_Initialize, l240->C_Initialize);
  // Entry n of a shorter table equals entry n of the 3.2 table (2.40: 68 entries, 3.0: 92).
  const std::size_t first = offsetof(CK_FUNCTION_LIST, C_Initialize);
  const auto* b32 = reinterpret_cast<const unsigned char*>(l32);
  EXPECT_EQ(std::memcmp(reinterpret_cast<const unsigned char*>(l240) + first, b32 + first, 68 * sizeof(void*)), 0);
  EXPECT_EQ(std::memcmp(reinterpret_cast<const unsigned char*>(l30) + first, b32 + first, 92 * sizeof(void*)), 0);
  EXPECT_EQ(sizeof(CK_FUNCTION_LIST) - first, 68 * sizeof(void*));
  // No entry of the 3.2 table is missing.
  for (std::size_t n = 0; n < 104; ++n) {
    void* p = nullptr;
    std::memcpy(&p, b32 + first + n * sizeof(void*), sizeof p);
    EXPECT_NE(p, nullptr) << "entry " << n + 1;
  }
  // The table behind C_GetFunctionList is the 2.40 one of the interface list.
  CK_FUNCTION_LIST_PTR fl = nullptr;
  ASSERT_EQ(sym<CK_C_GetFunctionList>("C_GetFunctionList")(&fl), CKR_OK);
  EXPECT_EQ(static_cast<const void*>(fl), static_cast<const void*>(l240));
}

TEST_F(InterfaceTest, GetInfoReports32AndPaddedStrings) {
  CK_INFO info{};
  EXPECT_EQ(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  std::memset(&info, 0, sizeof info);
  ASSERT_EQ(f->C_GetInfo(&info), CKR_OK);
  EXPECT_EQ(info.cryptokiVersion.major, 3);
  EXPECT_EQ(info.cryptokiVersion.minor, 2);
  expect_blank_padded(info.manufacturerID, "manufacturerID");
  expect_blank_padded(info.libraryDescription, "libraryDescription");
  EXPECT_EQ(info.manufacturerID[sizeof(info.manufacturerID) - 1], ' ');
  EXPECT_EQ(info.libraryDescription[sizeof(info.libraryDescription) - 1], ' ');
  EXPECT_EQ(info.flags, 0u);
  EXPECT_EQ(f->C_GetInfo(nullptr), CKR_ARGUMENTS_BAD);
}

// PKCS11-FACTS §5.2: what NSS 3.87 does, step by step, through the dlsym'd C_GetInterface.
TEST_F(InterfaceTest, NssProbeSequenceSucceeds) {
  auto get_if = sym<CK_C_GetInterface>("C_GetInterface");
  ASSERT_NE(get_if, nullptr);  // step 1: the symbol exists, so NSS never falls back
  CK_UTF8CHAR std_name[] = "PKCS 11";
  CK_INTERFACE_PTR iface = nullptr;
  // Step 2 must fail (no fork-safety promise); step 3 must succeed.
  EXPECT_NE(get_if(std_name, nullptr, &iface, CKF_INTERFACE_FORK_SAFE), CKR_OK);
  ASSERT_EQ(get_if(std_name, nullptr, &iface, 0), CKR_OK);
  ASSERT_NE(iface, nullptr);
  // Step 4: NSS keeps the table and treats it as (at least) a 3.0 table.
  auto* table = static_cast<CK_FUNCTION_LIST_3_0*>(iface->pFunctionList);
  ASSERT_GE(table->version.major, 3);
  const CK_FLAGS kept_flags = iface->flags;
  EXPECT_EQ(kept_flags, 0u);
  // Step 5: the vendor FIPS interface must be refused.
  CK_UTF8CHAR fips[] = "Vendor NSS FIPS Interface";
  CK_INTERFACE_PTR fips_iface = nullptr;
  EXPECT_NE(get_if(fips, nullptr, &fips_iface, 0), CKR_OK);
  // Step 6: C_Initialize and C_GetInfo through the kept table; the reported version must agree
  // with the table's layout, since NSS picks the 3.0 message API from C_GetInfo (step 7).
  ASSERT_EQ(table->C_Initialize(nullptr), CKR_OK);
  CK_INFO info{};
  ASSERT_EQ(table->C_GetInfo(&info), CKR_OK);
  EXPECT_GE(info.cryptokiVersion.major, 2);
  EXPECT_EQ(info.cryptokiVersion.major, table->version.major);
  EXPECT_EQ(info.cryptokiVersion.minor, table->version.minor);
  CK_ULONG n = 0;
  EXPECT_EQ(table->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
  EXPECT_GE(n, 1u);
  EXPECT_EQ(table->C_Finalize(nullptr), CKR_OK);
}

}  // namespace
}  // namespace craton::test
