// The rows of the comparison: one operation each, measured through the PKCS#11 API of every
// module under test and, where one exists, on the raw floor (the same primitive called directly
// on OpenSSL 3, or on our own post-quantum code for the PQC rows). A new row is one add_row call
// in the rows_*.cpp file of its family.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <vector>

#include "module.h"

namespace craton::bench {

struct Row {
  std::string id;     // stable key, also the benchmark name: "sign/rsa2048"
  std::string group;  // section of the report
  std::string title;  // what one operation is, for the table
  std::function<void(Module&, benchmark::State&)> api;
  std::function<void(benchmark::State&)> raw;  // empty: no floor for this row
  int threads = 1;          // > 1: throughput rows, one session per thread
  bool manual_time = false;  // the row times itself (SetIterationTime)
  bool once = false;         // one iteration per repetition (builds a token of N objects)
  long objects = -1;         // object-count rows: N
};

struct RowOptions {
  std::vector<long> object_counts;  // for find / create / initialize rows
  std::vector<int> thread_counts;   // for the throughput rows
};

// The families, each in its own file; rows.cpp calls them in the order of the report.
void add_signature_rows(std::vector<Row>& rows);
void add_cipher_rows(std::vector<Row>& rows);
void add_pqc_rows(std::vector<Row>& rows);
void add_token_rows(std::vector<Row>& rows, const RowOptions& options);
void add_thread_rows(std::vector<Row>& rows, const RowOptions& options);
std::vector<Row> all_rows(const RowOptions& options);

// ---- helpers shared by the row files ----

// Marks a row as not applicable to a module (the report prints "n/a" with the reason).
inline void not_supported(benchmark::State& state, const std::string& why) {
  state.SkipWithError(("n/a: " + why).c_str());
}

// Runs `op` once per iteration; `op` returns the handle of an object it created, and the
// objects are destroyed in batches with the timer paused, so only the operation is timed.
template <class Op>
void run_producing(Module& m, benchmark::State& state, CK_SESSION_HANDLE s, Op op) {
  std::vector<CK_OBJECT_HANDLE> made;
  made.reserve(256);
  for (auto _ : state) {
    op(made);
    if (made.size() >= 256) {
      state.PauseTiming();
      for (CK_OBJECT_HANDLE h : made) check(m.f->C_DestroyObject(s, h), "C_DestroyObject");
      made.clear();
      state.ResumeTiming();
    }
  }
  for (CK_OBJECT_HANDLE h : made) check(m.f->C_DestroyObject(s, h), "C_DestroyObject");
}

// A session closed at the end of the scope (also when a check throws).
class Session {
 public:
  explicit Session(Module& m) : m_(m), h_(m.open_session()) {}
  ~Session() { m_.f->C_CloseSession(h_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  CK_SESSION_HANDLE get() const { return h_; }

 private:
  Module& m_;
  CK_SESSION_HANDLE h_;
};

// C_SignInit + C_Sign per iteration (a client signing one message).
void sign_loop(Module& m, benchmark::State& state, CK_MECHANISM mech, CK_OBJECT_HANDLE key, std::size_t input);
// C_VerifyInit + C_Verify per iteration, of a signature made once before.
void verify_loop(Module& m, benchmark::State& state, CK_MECHANISM mech, CK_OBJECT_HANDLE priv,
                 CK_OBJECT_HANDLE pub, std::size_t input);
// C_GenerateKeyPair of session keys per iteration (destroyed untimed).
void keygen_loop(Module& m, benchmark::State& state, CK_MECHANISM_TYPE mech, std::vector<CK_ATTRIBUTE> pub,
                 std::vector<CK_ATTRIBUTE> priv);

// Every iteration counts one operation; the report reads items_per_second.
inline void count_items(benchmark::State& state) { state.SetItemsProcessed(state.iterations()); }

}  // namespace craton::bench
