// craton_bench: the same operations through the PKCS#11 API of several modules (by default the
// Craton HSM module just built and Debian's SoftHSMv2) and on the raw floor (OpenSSL 3 / our PQC
// code), side by side. Each module is measured in a child process of its own (two PKCS#11
// modules sharing one process would share OpenSSL's global state and the environment), one
// repetition per child: the repetitions are interleaved (round r measures every target once, in
// an order rotated each round), so a phase in which a shared host runs slower for a while is
// spread over every column instead of landing on one. The parent merges the rounds into a table,
// results.json, results.md and chart.svg.
// Usage and the published figures: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>
#include <openssl/opensslv.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include "report.h"
#include "rows.h"

namespace {

using craton::bench::Measurement;
using craton::bench::Module;
using craton::bench::Report;
using craton::bench::Row;
using craton::bench::TargetResults;

struct Options {
  std::vector<std::string> modules;  // NAME=PATH
  bool no_raw = false;
  bool smoke = false;
  std::vector<long> objects{100, 1000, 10000, 100000};
  std::vector<int> threads{1, 2, 4, 8};
  std::vector<std::string> max_objects{"softhsm2=10000"};  // NAME=N
  std::map<std::string, long> object_caps;                  // parsed from max_objects
  std::string filter = ".*";
  int repetitions = 3;
  double min_time = 0.5;
  std::vector<std::string> config;
  std::vector<std::string> module_config;  // NAME=LINE
  std::multimap<std::string, std::string> config_for;  // parsed from module_config
  std::string out = "bench-results";
  bool list = false;
};

std::pair<std::string, std::string> split_pair(const std::string& s) {
  const auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) throw std::runtime_error("expected NAME=VALUE, got '" + s + "'");
  return {s.substr(0, eq), s.substr(eq + 1)};
}

// `arg` as a POSIX shell word, so that the command in the report can be pasted back as it ran.
std::string shell_quoted(const std::string& arg) {
  const bool plain = !arg.empty() && arg.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                            "0123456789_./=,:+@%-") == std::string::npos;
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Records each repetition's operations per second while printing the usual console output.
class Collector : public benchmark::ConsoleReporter {
 public:
  Collector(TargetResults& out, std::string prefix)
      : ConsoleReporter(OO_Tabular), out_(out), prefix_(std::move(prefix)) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      std::string id = run.run_name.function_name.substr(prefix_.size());
      Measurement& m = out_.rows[id];
      if (run.error_occurred) {
        m.error = run.error_message;
        continue;
      }
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end() && it->second.value > 0) m.ops_per_second.push_back(it->second.value);
    }
    ConsoleReporter::ReportRuns(runs);
  }

 private:
  TargetResults& out_;
  std::string prefix_;
};

// Measures one repetition of the rows on one target (a module, or the floor when `path` is empty)
// and writes the results to `file`. Runs in the child process.
int measure(const Options& o, const std::vector<Row>& rows, const std::string& name, const std::string& path,
            const std::filesystem::path& file, std::vector<char*> bench_args) {
  TargetResults results;
  results.name = name;
  std::unique_ptr<Module> module;
  std::string extra;
  for (const auto& line : o.config) extra += line + "\n";
  for (auto [it, end] = o.config_for.equal_range(name); it != end; ++it) extra += it->second + "\n";
  const auto cap_it = o.object_caps.find(name);
  const long cap = cap_it == o.object_caps.end() ? -1 : cap_it->second;
  try {
    if (!path.empty()) {
      module = std::make_unique<Module>(name, path, extra);
      results.description = module->describe();
    } else {
      results.description = std::string("the same primitive called directly: ") + OPENSSL_VERSION_TEXT +
                            " EVP; Craton HSM src/crypto/pqc for the post-quantum rows";
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
    return 1;
  }
  const std::string prefix = name + "/";
  for (const Row& row : rows) {
    if (module == nullptr && !row.raw) continue;
    if (module != nullptr && cap >= 0 && row.objects > cap) {
      results.rows[row.id].error = "not run: more than " + std::to_string(cap) + " objects (--max-objects)";
      continue;
    }
    Module* mod = module.get();
    auto* b = benchmark::RegisterBenchmark((prefix + row.id).c_str(), [row, mod](benchmark::State& st) {
      try {
        if (mod != nullptr) {
          row.api(*mod, st);
        } else {
          row.raw(st);
        }
      } catch (const std::exception& e) {
        st.SkipWithError(e.what());
      }
    });
    b->Unit(benchmark::kMicrosecond);
    if (row.manual_time) {
      b->UseManualTime();
    } else {
      b->UseRealTime();
    }
    if (row.once) {
      b->Iterations(1);
    } else {
      b->MinTime(o.min_time);
    }
    if (row.threads > 1) b->Threads(row.threads);
  }
  int argc = static_cast<int>(bench_args.size());
  bench_args.push_back(nullptr);
  benchmark::Initialize(&argc, bench_args.data());
  Collector collector(results, prefix);
  benchmark::RunSpecifiedBenchmarks(&collector);
  write_results(file, results);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"craton_bench: PKCS#11 modules side by side with the raw floor (docs/PERFORMANCE.md)"};
  app.add_option("--module", o.modules, "NAME=PATH of a PKCS#11 module; repeat; the first is the subject "
                                        "(default: craton=<the module built with this tool>, "
                                        "softhsm2=/usr/lib/softhsm/libsofthsm2.so when installed)");
  app.add_flag("--no-raw", o.no_raw, "do not measure the raw floor");
  app.add_flag("--smoke", o.smoke, "a short run that checks every row works (CI): 100 and 1,000 objects, "
                                   "1 and 2 threads, one repetition, tiny minimum time");
  app.add_option("--objects", o.objects, "object counts for the find / create / initialize rows")->delimiter(',');
  app.add_option("--threads", o.threads, "thread counts for the throughput rows")->delimiter(',');
  app.add_option("--max-objects", o.max_objects, "NAME=N: skip object counts above N for that module")
      ->delimiter(',');
  app.add_option("--filter", o.filter, "only the rows whose id matches this regular expression");
  app.add_option("--repetitions", o.repetitions, "repetitions per row, interleaved across the modules: one child process per "
                                                 "module and repetition (the report takes the median)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--min-time", o.min_time, "minimum seconds per repetition");
  app.add_option("--config", o.config, "a configuration line for every module (repeat), e.g. 'audit.enabled = false'");
  app.add_option("--module-config", o.module_config,
                 "NAME=LINE: a configuration line for one module (repeat); with two --module names for one path, "
                 "e.g. the audit log on and off measured in the same interleaved run");
  app.add_option("--out", o.out, "directory for results.json, results.md and chart.svg");
  app.add_flag("--list", o.list, "list the rows and exit");
  app.allow_extras();  // anything else goes to Google Benchmark (e.g. --benchmark_color=false)
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (o.smoke) {
    if (app.count("--objects") == 0) o.objects = {100, 1000};
    if (app.count("--threads") == 0) o.threads = {1, 2};
    if (app.count("--repetitions") == 0) o.repetitions = 1;
    if (app.count("--min-time") == 0) o.min_time = 0.01;
  }
  std::vector<std::pair<std::string, std::string>> targets;
  try {  // bad NAME=VALUE arguments are a usage error here, not a failure in every child
    for (const auto& m : o.max_objects) {
      const auto [n, v] = split_pair(m);
      std::size_t used = 0;
      long cap = -1;
      try {
        cap = std::stol(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != v.size() || cap < 0) throw std::runtime_error("--max-objects " + m + ": N must be a count");
      o.object_caps[n] = cap;
    }
    for (const auto& m : o.module_config) {
      const auto [n, line] = split_pair(m);
      o.config_for.emplace(n, line);
    }
    if (o.modules.empty()) {
      targets.emplace_back("craton", CRATON_MODULE_PATH);
      if (access("/usr/lib/softhsm/libsofthsm2.so", R_OK) == 0)
        targets.emplace_back("softhsm2", "/usr/lib/softhsm/libsofthsm2.so");
    } else {
      for (const auto& m : o.modules) targets.push_back(split_pair(m));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "craton_bench: %s\n", e.what());
    return 2;
  }
  if (!o.no_raw) targets.emplace_back("raw", "");

  Report report;
  const std::regex filter(o.filter);
  for (Row& row : craton::bench::all_rows({o.objects, o.threads}))
    if (std::regex_search(row.id, filter)) report.rows.push_back(std::move(row));
  if (o.list) {
    for (const Row& row : report.rows) std::printf("%-36s %s\n", row.id.c_str(), row.title.c_str());
    return 0;
  }
  std::ostringstream command;
  for (int i = 0; i < argc; ++i) command << (i ? " " : "") << shell_quoted(argv[i]);
  report.command = command.str();
  std::ostringstream notes;
  notes << (o.smoke ? "smoke mode; " : "") << o.repetitions << " interleaved repetition(s) of at least " << o.min_time
        << " s; every module configured with pin.kdf_iterations = 10000 and log.level = ERROR";
  for (const auto& line : o.config) notes << "; " << line;
  for (const auto& [n, line] : o.config_for) notes << "; " << n << ": " << line;
  report.notes = notes.str();

  std::vector<char*> bench_args{argv[0]};
  for (const std::string& extra : app.remaining()) bench_args.push_back(const_cast<char*>(extra.c_str()));
  const auto scratch = std::filesystem::temp_directory_path() / ("craton-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(scratch);
  int failures = 0;
  std::vector<TargetResults> merged(targets.size());
  std::vector<bool> failed(targets.size(), false);
  for (std::size_t i = 0; i < targets.size(); ++i) merged[i].name = targets[i].first;
  for (int round = 0; round < o.repetitions; ++round) {
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const std::size_t i = (k + static_cast<std::size_t>(round)) % targets.size();
      if (failed[i]) continue;
      const auto& [name, path] = targets[i];
      if (o.repetitions > 1) std::printf("-- round %d of %d: %s\n", round + 1, o.repetitions, name.c_str());
      const auto file = scratch / (name + ".tsv");
      std::fflush(nullptr);
      const pid_t child = fork();
      if (child == 0) _exit(measure(o, report.rows, name, path, file, bench_args));
      int status = 0;
      waitpid(child, &status, 0);
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        craton::bench::read_results(file, merged[i]);
      } else {
        ++failures;
        failed[i] = true;
        merged[i].rows.clear();
        merged[i].description =
            WIFSIGNALED(status) ? "crashed (signal " + std::to_string(WTERMSIG(status)) + ")" : "failed";
        std::fprintf(stderr, "craton_bench: %s %s\n", name.c_str(), merged[i].description.c_str());
      }
    }
  }
  for (TargetResults& t : merged) report.targets.push_back(std::move(t));
  std::filesystem::remove_all(scratch);
  craton::bench::print_table(report);
  craton::bench::write_report(report, o.out);
  // A row that fails on the subject or the floor is a broken benchmark (exit 1, so CI's smoke run
  // catches it); another module's failures are its own and only reported. Timing never fails.
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const TargetResults& t = report.targets[i];
    for (const auto& [id, m] : t.rows) {
      if (m.error.empty() || m.error.rfind("n/a", 0) == 0 || m.error.rfind("not run", 0) == 0) continue;
      const bool ours = i == 0 || t.name == "raw";
      std::fprintf(stderr, "craton_bench: %s %s: %s%s\n", t.name.c_str(), id.c_str(), m.error.c_str(),
                   ours ? "" : " (not counted as a failure)");
      if (ours) ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
