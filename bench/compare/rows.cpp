#include "rows.h"

namespace craton::bench {

std::vector<Row> all_rows(const RowOptions& options) {
  std::vector<Row> rows;
  add_signature_rows(rows);
  add_cipher_rows(rows);
  add_pqc_rows(rows);
  add_thread_rows(rows, options);
  add_token_rows(rows, options);  // last: these rebuild the token for every N
  return rows;
}

void sign_loop(Module& m, benchmark::State& state, CK_MECHANISM mech, CK_OBJECT_HANDLE key, std::size_t input) {
  Session s(m);
  std::vector<CK_BYTE> in(input, 0x42), sig(65536);
  for (auto _ : state) {
    CK_ULONG n = sig.size();
    check(m.f->C_SignInit(s.get(), &mech, key), "C_SignInit");
    check(m.f->C_Sign(s.get(), in.data(), in.size(), sig.data(), &n), "C_Sign");
    benchmark::DoNotOptimize(sig.data());
  }
  count_items(state);
}

void verify_loop(Module& m, benchmark::State& state, CK_MECHANISM mech, CK_OBJECT_HANDLE priv,
                 CK_OBJECT_HANDLE pub, std::size_t input) {
  Session s(m);
  std::vector<CK_BYTE> in(input, 0x42), sig(65536);
  CK_ULONG n = sig.size();
  check(m.f->C_SignInit(s.get(), &mech, priv), "C_SignInit");
  check(m.f->C_Sign(s.get(), in.data(), in.size(), sig.data(), &n), "C_Sign");
  for (auto _ : state) {
    check(m.f->C_VerifyInit(s.get(), &mech, pub), "C_VerifyInit");
    check(m.f->C_Verify(s.get(), in.data(), in.size(), sig.data(), n), "C_Verify");
  }
  count_items(state);
}

void keygen_loop(Module& m, benchmark::State& state, CK_MECHANISM_TYPE type, std::vector<CK_ATTRIBUTE> pub,
                 std::vector<CK_ATTRIBUTE> priv) {
  Session s(m);
  CK_MECHANISM mech{type, nullptr, 0};
  run_producing(m, state, s.get(), [&](std::vector<CK_OBJECT_HANDLE>& made) {
    CK_OBJECT_HANDLE a = 0, b = 0;
    check(m.f->C_GenerateKeyPair(s.get(), &mech, pub.data(), pub.size(), priv.data(), priv.size(), &a, &b),
          "C_GenerateKeyPair");
    made.push_back(a);
    made.push_back(b);
  });
  count_items(state);
}

}  // namespace craton::bench
