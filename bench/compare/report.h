// The comparison report: a table on stdout, and results.json, results.md and chart.svg in the
// output directory, each naming the machine, the versions and the exact command.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rows.h"

namespace craton::bench {

struct Measurement {
  std::vector<double> ops_per_second;  // one per repetition
  std::string error;                   // "n/a: …" when the module lacks the operation
  bool ok() const { return error.empty() && !ops_per_second.empty(); }
  double median() const;               // operations per second
};

struct TargetResults {
  std::string name;         // "craton", "softhsm2", "raw"
  std::string description;  // from C_GetInfo, or the floor's libraries
  std::map<std::string, Measurement> rows;
};

struct Report {
  std::vector<Row> rows;
  std::vector<TargetResults> targets;  // subject first, then the other modules, then "raw"
  std::string command;
  std::string notes;                   // settings worth knowing (mode, PIN KDF, audit)
};

// Adds the lines a measuring child process wrote (see main.cpp) to `out`: the values of a row
// are appended to those of earlier repetitions; an error replaces none with one.
void read_results(const std::filesystem::path& file, TargetResults& out);
// Writes them (child side).
void write_results(const std::filesystem::path& file, const TargetResults& in);

void print_table(const Report& report);
void write_report(const Report& report, const std::filesystem::path& dir);

}  // namespace craton::bench
