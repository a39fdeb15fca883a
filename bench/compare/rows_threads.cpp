// Throughput rows: the ECDSA P-256 sign and AES-256-GCM 4 KiB encrypt rows run from 1, 2, 4 and 8
// threads at once, one session per thread, on the same key. Reported as operations per second of
// all threads together (wall time); the report adds each row's speed-up over one thread. The raw
// floor runs from as many threads too.
#include <algorithm>
#include <stdexcept>

#include "rows.h"

namespace craton::bench {

void add_thread_rows(std::vector<Row>& rows, const RowOptions& options) {
  const std::string group = "Throughput from several threads (all threads together)";
  std::vector<Row> added;
  for (const char* base : {"sign/p256", "encrypt/aes256gcm/4k"}) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.id == base; });
    if (it == rows.end()) throw std::logic_error(std::string("no row ") + base);
    const std::string name = it->id.rfind("sign/", 0) == 0 ? "ecdsa-p256" : "aes256gcm-4k";
    const std::string what = name == "ecdsa-p256" ? "ECDSA P-256 sign" : "AES-256-GCM 4 KiB encrypt";
    for (int t : options.thread_counts) {
      Row row = *it;
      row.id = "threads/" + name + "/" + std::to_string(t);
      row.group = group;
      row.title = what + ", " + (t == 1 ? std::string("1 thread") : std::to_string(t) + " threads");
      row.threads = t;
      added.push_back(row);
    }
  }
  rows.insert(rows.end(), added.begin(), added.end());
}

}  // namespace craton::bench
