// Token rows: sessions, login, and the object store at scale. For each N (100 … 100,000 by
// default): creating the N durable token objects (time per object), finding one of them by label,
// and C_Initialize (+ slot list, session, first search; and + user login) with N objects present.
// Nothing here has a raw floor.
#include "rows.h"

namespace craton::bench {
namespace {

CK_UTF8CHAR_PTR utf8(std::string& s) { return reinterpret_cast<CK_UTF8CHAR_PTR>(s.data()); }

void api_session(Module& m, benchmark::State& state) {
  m.use_objects(0);
  for (auto _ : state) {
    CK_SESSION_HANDLE h = m.open_session();
    check(m.f->C_CloseSession(h), "C_CloseSession");
  }
  count_items(state);
}

void api_login(Module& m, benchmark::State& state) {
  m.use_objects(0);
  Session s(m);
  for (auto _ : state) {
    check(m.f->C_Login(s.get(), CKU_USER, utf8(m.pin()), m.pin().size()), "C_Login");
    check(m.f->C_Logout(s.get()), "C_Logout");
  }
  count_items(state);
}

CK_ULONG find_label(Module& m, CK_SESSION_HANDLE s, const std::string& label) {
  CK_ATTRIBUTE t[] = {{CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
  check(m.f->C_FindObjectsInit(s, t, 1), "C_FindObjectsInit");
  CK_OBJECT_HANDLE found[2];
  CK_ULONG n = 0;
  check(m.f->C_FindObjects(s, found, 2, &n), "C_FindObjects");
  check(m.f->C_FindObjectsFinal(s), "C_FindObjectsFinal");
  return n;
}

// Time per object of filling a fresh token with N objects (one C_CreateObject each).
void api_create(Module& m, benchmark::State& state, long n) {
  for (auto _ : state) {
    const auto spent = m.use_objects(n, /*fresh=*/true);
    state.SetIterationTime(std::chrono::duration<double>(spent).count() / static_cast<double>(n));
  }
  count_items(state);
}

void api_find(Module& m, benchmark::State& state, long n) {
  m.use_objects(n);
  Session s(m);
  const std::string label = "object-" + std::to_string(n / 2);
  for (auto _ : state) {
    if (find_label(m, s.get(), label) != 1) return state.SkipWithError("object not found");
  }
  count_items(state);
}

// C_Initialize + C_GetSlotList + C_OpenSession (+ C_Login) + the first search, timed by hand so
// that the C_Finalize before it is not counted.
void api_initialize(Module& m, benchmark::State& state, long n, bool login) {
  m.use_objects(n);
  for (auto _ : state) {
    m.finalize();
    const auto start = std::chrono::steady_clock::now();
    m.initialize();
    CK_SESSION_HANDLE h = m.open_session();
    if (login) check(m.f->C_Login(h, CKU_USER, utf8(m.pin()), m.pin().size()), "C_Login");
    const CK_ULONG found = find_label(m, h, "object-0");
    const auto spent = std::chrono::steady_clock::now() - start;
    check(m.f->C_CloseSession(h), "C_CloseSession");
    if (n > 0 && found != 1) return state.SkipWithError("object not found");
    state.SetIterationTime(std::chrono::duration<double>(spent).count());
  }
  count_items(state);
}

std::string count_text(long n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

}  // namespace

void add_token_rows(std::vector<Row>& rows, const RowOptions& options) {
  const std::string group = "Sessions, login and the object store";
  rows.push_back({"session/open-close", group, "C_OpenSession + C_CloseSession", api_session, {}});
  rows.push_back({"login/user", group, "C_Login + C_Logout (user; PIN KDF per module, see notes)", api_login, {}});
  for (long n : options.object_counts) {
    const std::string ns = std::to_string(n);
    const std::string text = count_text(n);
    Row create{"create/" + ns, group, "create one durable token object (mean over " + text + ")",
               [n](Module& m, benchmark::State& s) { api_create(m, s, n); }, {}};
    create.manual_time = true;
    create.once = true;
    create.objects = n;
    rows.push_back(create);
    Row find{"find/" + ns, group, "find one object by label among " + text,
             [n](Module& m, benchmark::State& s) { api_find(m, s, n); }, {}};
    find.objects = n;
    rows.push_back(find);
    Row init{"initialize/" + ns, group, "C_Initialize + slot list + session + first find, " + text + " objects",
             [n](Module& m, benchmark::State& s) { api_initialize(m, s, n, false); }, {}};
    init.manual_time = true;
    init.objects = n;
    rows.push_back(init);
    Row login{"initialize-login/" + ns, group, "the same + C_Login (user), " + text + " objects",
              [n](Module& m, benchmark::State& s) { api_initialize(m, s, n, true); }, {}};
    login.manual_time = true;
    login.objects = n;
    rows.push_back(login);
  }
}

}  // namespace craton::bench
