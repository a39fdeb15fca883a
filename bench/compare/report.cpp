#include "report.h"

#include <openssl/crypto.h>
#include <sqlite3.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace craton::bench {

double Measurement::median() const {
  if (ops_per_second.empty()) return 0;
  std::vector<double> v = ops_per_second;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---- the child → parent file: one line per row, tab-separated ----

void write_results(const std::filesystem::path& file, const TargetResults& in) {
  std::ofstream out(file);
  out << "#description\t" << in.description << "\n";
  out.precision(17);
  for (const auto& [id, m] : in.rows) {
    out << id << "\t" << m.error << "\t";
    for (double v : m.ops_per_second) out << v << " ";
    out << "\n";
  }
}

void read_results(const std::filesystem::path& file, TargetResults& out) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    if (line.compare(0, tab, "#description") == 0) {
      out.description = line.substr(tab + 1);
      continue;
    }
    const auto tab2 = line.find('\t', tab + 1);
    // Appended to what earlier repetitions of the same target left (main.cpp runs one per child).
    Measurement& m = out.rows[line.substr(0, tab)];
    const std::string error = line.substr(tab + 1, tab2 - tab - 1);
    if (!error.empty()) m.error = error;
    std::istringstream values(line.substr(tab2 + 1));
    for (double v; values >> v;) m.ops_per_second.push_back(v);
  }
}

namespace {

std::string first_line_of(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) {
      auto pos = line.find_first_of(":=", key.size());
      std::string v = pos == std::string::npos ? line : line.substr(pos + 1);
      v.erase(0, v.find_first_not_of(" \t\""));
      while (!v.empty() && (v.back() == '"' || v.back() == ' ')) v.pop_back();
      return v;
    }
  }
  return "unknown";
}

struct Machine {
  std::string cpu = first_line_of("/proc/cpuinfo", "model name");
  unsigned cores = std::thread::hardware_concurrency();
  std::string os = first_line_of("/etc/os-release", "PRETTY_NAME");
  std::string kernel = [] {
    utsname u{};
    return uname(&u) == 0 ? std::string(u.release) : std::string("unknown");
  }();
  std::string compiler = "gcc " __VERSION__;
  std::string openssl = OpenSSL_version(OPENSSL_VERSION);
  std::string sqlite = std::string("SQLite ") + sqlite3_libversion();
  std::string date = [] {
    char buf[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return std::string(buf);
  }();
};

std::string with_commas(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  const auto dot = s.find('.');
  int end = static_cast<int>(dot == std::string::npos ? s.size() : dot);
  for (int i = end - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string micros(double ops) {
  const double us = 1e6 / ops;
  return with_commas(us, us < 10 ? 2 : (us < 1000 ? 1 : 0));
}

std::string ratio_text(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, r < 10 ? "%.2f×" : (r < 1000 ? "%.1f×" : "%.0f×"), r);
  return buf;
}

const TargetResults* find_target(const Report& r, const std::string& name) {
  for (const auto& t : r.targets)
    if (t.name == name) return &t;
  return nullptr;
}

const Measurement* measurement(const TargetResults* t, const std::string& id) {
  if (t == nullptr) return nullptr;
  auto it = t->rows.find(id);
  return it == t->rows.end() ? nullptr : &it->second;
}

// The subject (first module), the first other module, and the floor.
struct Roles {
  const TargetResults* subject = nullptr;
  const TargetResults* other = nullptr;
  const TargetResults* raw = nullptr;
  explicit Roles(const Report& r) {
    for (const auto& t : r.targets) {
      if (t.name == "raw") {
        raw = &t;
      } else if (subject == nullptr) {
        subject = &t;
      } else if (other == nullptr) {
        other = &t;
      }
    }
  }
};

// other's time / subject's time (above 1: the subject is faster), and subject's time / floor's.
std::optional<double> ratio(const Measurement* slow, const Measurement* fast) {
  if (slow == nullptr || fast == nullptr || !slow->ok() || !fast->ok()) return std::nullopt;
  return fast->median() / slow->median();
}

std::string cell(const Measurement* m) {
  if (m == nullptr) return "";
  if (!m->ok()) {
    if (m->error.rfind("n/a", 0) == 0) return "n/a";
    return m->error.rfind("not run", 0) == 0 ? "not run" : "error";
  }
  return micros(m->median());
}

bool row_measured(const Report& r, const Row& row) {
  for (const auto& t : r.targets)
    if (const Measurement* m = measurement(&t, row.id); m != nullptr) return true;
  return false;
}

// Speed-up of a throughput row over the same operation from one thread.
std::optional<double> scaling(const TargetResults* t, const Row& row) {
  if (row.threads <= 1) return std::nullopt;
  const std::string one = row.id.substr(0, row.id.rfind('/')) + "/1";
  return ratio(measurement(t, one), measurement(t, row.id));
}

}  // namespace

void print_table(const Report& r) {
  Roles roles(r);
  std::printf("\n%-72s", "operation (µs per operation, median)");
  for (const auto& t : r.targets) std::printf(" %12s", t.name.c_str());
  if (roles.other != nullptr) std::printf(" %14s", ("vs " + roles.other->name).c_str());
  if (roles.raw != nullptr) std::printf(" %10s", "vs raw");
  std::printf("\n");
  std::string group;
  for (const Row& row : r.rows) {
    if (!row_measured(r, row)) continue;
    if (row.group != group) std::printf("-- %s\n", (group = row.group).c_str());
    std::printf("%-72s", row.title.substr(0, 72).c_str());
    for (const auto& t : r.targets) std::printf(" %12s", cell(measurement(&t, row.id)).c_str());
    if (roles.other != nullptr) {
      auto x = ratio(measurement(roles.subject, row.id), measurement(roles.other, row.id));
      std::printf(" %14s", x ? (ratio_text(1 / *x) + " faster").c_str() : "");
    }
    if (roles.raw != nullptr) {
      auto x = ratio(measurement(roles.subject, row.id), measurement(roles.raw, row.id));
      std::printf(" %10s", x ? ratio_text(*x).c_str() : "");
    }
    std::printf("\n");
  }
}

namespace {

void write_json(const Report& r, const Machine& mc, const std::filesystem::path& file) {
  using nlohmann::json;
  Roles roles(r);
  json j;
  j["generated"] = mc.date;
  j["command"] = r.command;
  j["notes"] = r.notes;
  j["machine"] = {{"cpu", mc.cpu},     {"cores", mc.cores},       {"os", mc.os},        {"kernel", mc.kernel},
                  {"compiler", mc.compiler}, {"openssl", mc.openssl}, {"sqlite", mc.sqlite}};
  for (const auto& t : r.targets) j["targets"].push_back({{"name", t.name}, {"description", t.description}});
  for (const Row& row : r.rows) {
    if (!row_measured(r, row)) continue;
    json jr{{"id", row.id}, {"group", row.group}, {"title", row.title}, {"threads", row.threads}};
    for (const auto& t : r.targets) {
      const Measurement* m = measurement(&t, row.id);
      if (m == nullptr) continue;
      if (m->ok()) {
        jr["results"][t.name] = {{"us_per_op", 1e6 / m->median()},
                                 {"ops_per_second", m->median()},
                                 {"repetitions", m->ops_per_second}};
        if (auto s = scaling(&t, row)) jr["results"][t.name]["speedup_over_1_thread"] = *s;
      } else {
        jr["results"][t.name] = {{"error", m->error}};
      }
    }
    if (roles.other != nullptr)
      if (auto x = ratio(measurement(roles.subject, row.id), measurement(roles.other, row.id)))
        jr["speedup_over_" + roles.other->name] = 1 / *x;
    if (roles.raw != nullptr)
      if (auto x = ratio(measurement(roles.subject, row.id), measurement(roles.raw, row.id)))
        jr["time_relative_to_raw"] = *x;
    j["rows"].push_back(jr);
  }
  std::ofstream(file) << j.dump(2) << "\n";
}

void write_markdown(const Report& r, const Machine& mc, const std::filesystem::path& file) {
  Roles roles(r);
  std::ofstream out(file);
  out << "# Benchmark results\n\n"
      << "Generated " << mc.date << " by `" << r.command << "`.\n\n"
      << "- Machine: " << mc.cpu << ", " << mc.cores << " cores; " << mc.os << ", Linux " << mc.kernel << "\n"
      << "- Build: " << mc.compiler << "; " << mc.openssl << "; " << mc.sqlite << "\n";
  for (const auto& t : r.targets) out << "- `" << t.name << "`: " << t.description << "\n";
  if (!r.notes.empty()) out << "- Settings: " << r.notes << "\n";
  out << "\nµs per operation (median of the repetitions; for the thread rows, wall time per operation of all "
         "threads together); ops/s of "
      << (roles.subject ? roles.subject->name : "") << "; ratios from the same run.\n";
  std::string group;
  for (const Row& row : r.rows) {
    if (!row_measured(r, row)) continue;
    if (row.group != group) {
      group = row.group;
      out << "\n## " << group << "\n\n| operation |";
      for (const auto& t : r.targets) out << " " << t.name << " µs |";
      if (roles.subject) out << " " << roles.subject->name << " ops/s |";
      if (roles.other) out << " speed-up over " << roles.other->name << " |";
      if (roles.raw) out << " time ÷ raw |";
      if (row.id.rfind("threads/", 0) == 0)
        for (const auto& t : r.targets) out << " " << t.name << " × 1 thread |";
      out << "\n|---|";
      for (std::size_t i = 0; i < r.targets.size(); ++i) out << "---:|";
      if (roles.subject) out << "---:|";
      if (roles.other) out << "---:|";
      if (roles.raw) out << "---:|";
      if (row.id.rfind("threads/", 0) == 0)
        for (std::size_t i = 0; i < r.targets.size(); ++i) out << "---:|";
      out << "\n";
    }
    out << "| " << row.title << " |";
    for (const auto& t : r.targets) out << " " << cell(measurement(&t, row.id)) << " |";
    if (roles.subject) {
      const Measurement* m = measurement(roles.subject, row.id);
      out << " " << (m && m->ok() ? with_commas(m->median(), m->median() < 100 ? 1 : 0) : "") << " |";
    }
    if (roles.other) {
      auto x = ratio(measurement(roles.subject, row.id), measurement(roles.other, row.id));
      out << " " << (x ? ratio_text(1 / *x) : "") << " |";
    }
    if (roles.raw) {
      auto x = ratio(measurement(roles.subject, row.id), measurement(roles.raw, row.id));
      out << " " << (x ? ratio_text(*x) : "") << " |";
    }
    if (row.id.rfind("threads/", 0) == 0) {
      for (const auto& t : r.targets) {
        auto s = scaling(&t, row);
        out << " " << (row.threads == 1 ? "1" : (s ? ratio_text(*s) : "")) << " |";
      }
    }
    out << "\n";
  }
  bool heading = false;
  for (const auto& t : r.targets) {
    for (const auto& [id, m] : t.rows) {
      if (m.error.empty() || m.error.rfind("n/a", 0) == 0) continue;
      if (!heading) out << "\n## Rows not measured\n\n";
      heading = true;
      out << "- `" << t.name << "` " << id << ": " << m.error << "\n";
    }
  }
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '&') o += "&amp;";
    else if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else o += c;
  }
  return o;
}

// Horizontal bars on a log scale of µs per operation, one bar per module (and the floor) per row.
void write_svg(const Report& r, const Machine& mc, const std::filesystem::path& file) {
  const char* colours[] = {"#1f6fb4", "#d1495b", "#8a8a8a", "#2a9d5c", "#e9a23b"};
  constexpr double kLabel = 440, kPlot = 620, kBar = 8, kGap = 6, kTop = 96;
  constexpr double kMinLog = -1, kMaxLog = 7;  // 0.1 µs … 10 s
  auto x_of = [&](double us) {
    const double l = std::clamp(std::log10(us), kMinLog, kMaxLog);
    return kLabel + (l - kMinLog) / (kMaxLog - kMinLog) * kPlot;
  };
  std::ostringstream body;
  double y = kTop;
  std::string group;
  for (const Row& row : r.rows) {
    if (!row_measured(r, row)) continue;
    if (row.group != group) {
      group = row.group;
      y += 10;
      body << "<text x='8' y='" << y + 10 << "' font-weight='bold'>" << xml_escape(group) << "</text>\n";
      y += 18;
    }
    const double h = static_cast<double>(r.targets.size()) * kBar + kGap;
    body << "<text x='" << kLabel - 6 << "' y='" << y + h / 2 + 3 << "' text-anchor='end'>"
         << xml_escape(row.title.substr(0, 70)) << "</text>\n";
    for (std::size_t i = 0; i < r.targets.size(); ++i) {
      const Measurement* m = measurement(&r.targets[i], row.id);
      const double by = y + static_cast<double>(i) * kBar;
      if (m == nullptr || !m->ok()) continue;
      const double us = 1e6 / m->median();
      body << "<rect x='" << kLabel << "' y='" << by << "' width='" << std::max(1.0, x_of(us) - kLabel)
           << "' height='" << kBar - 1 << "' fill='" << colours[i % 5] << "'/>"
           << "<text x='" << x_of(us) + 3 << "' y='" << by + kBar - 1 << "' font-size='8'>" << micros(m->median())
           << "</text>\n";
    }
    y += h;
  }
  const double height = y + 30;
  const double width = kLabel + kPlot + 60;
  std::ofstream out(file);
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='11'>\n<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='8' y='18' font-size='14' font-weight='bold'>Craton HSM benchmark: µs per operation (log "
         "scale, shorter is faster)</text>\n"
      << "<text x='8' y='34' font-size='10'>" << xml_escape(mc.cpu + ", " + std::to_string(mc.cores) + " cores; " +
                                                          mc.os + "; " + mc.openssl + "; " + mc.date)
      << "</text>\n<text x='8' y='48' font-size='10'>" << xml_escape(r.command) << "</text>\n";
  double lx = 8;
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    out << "<rect x='" << lx << "' y='58' width='12' height='10' fill='" << colours[i % 5] << "'/><text x='"
        << lx + 16 << "' y='67'>" << xml_escape(r.targets[i].name + ": " + r.targets[i].description.substr(0, 60))
        << "</text>\n";
    lx += 330;
  }
  for (int d = static_cast<int>(kMinLog); d <= static_cast<int>(kMaxLog); ++d) {
    const double gx = x_of(std::pow(10.0, d));
    const char* labels[] = {"0.1 µs", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s"};
    out << "<line x1='" << gx << "' y1='" << kTop - 8 << "' x2='" << gx << "' y2='" << y
        << "' stroke='#ddd'/><text x='" << gx << "' y='" << kTop - 10 << "' font-size='9' text-anchor='middle'>"
        << labels[d - static_cast<int>(kMinLog)] << "</text>\n";
  }
  out << body.str() << "</svg>\n";
}

}  // namespace

void write_report(const Report& report, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const Machine mc;
  write_json(report, mc, dir / "results.json");
  write_markdown(report, mc, dir / "results.md");
  write_svg(report, mc, dir / "chart.svg");
  std::printf("\nreport: %s/{results.md,results.json,chart.svg}\n", dir.c_str());
}

}  // namespace craton::bench
