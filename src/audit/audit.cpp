#include "audit/audit.h"

#include <cstdlib>
#include <mutex>
#include <vector>

#include "audit/key.h"
#include "storage/sqlite/file_util.h"

namespace craton::audit {
namespace {

constexpr std::size_t kMaxPending = 256;

std::mutex& registry_mu() {
  static std::mutex mu;
  return mu;
}
Writer* g_writer = nullptr;          // REQUIRES: registry_mu()
std::vector<Event>& pending() {      // REQUIRES: registry_mu()
  static std::vector<Event> p;
  return p;
}

Sync sync_of(config::AuditSync s) {
  switch (s) {
    case config::AuditSync::Every: return Sync::kEvery;
    case config::AuditSync::Off: return Sync::kOff;
    case config::AuditSync::Batch: break;
  }
  return Sync::kBatch;
}

}  // namespace

std::string audit_dir(const config::Config& cfg) {
  return cfg.audit.dir.empty() ? cfg.tokendir + "/audit" : cfg.audit.dir;
}

std::string key_path(const config::Config& cfg) { return cfg.tokendir + "/" + kKeyFileName; }

Result<std::unique_ptr<Writer>> open_log(const config::Config& cfg) {
  if (!cfg.audit.enabled) return std::unique_ptr<Writer>();
  WriterOptions opts;
  opts.dir = audit_dir(cfg);
  opts.sync = sync_of(cfg.audit.sync);
  opts.max_file_size = cfg.audit.max_file_size;
  opts.threaded = !cfg.audit.no_threads;
  // The token directory may not exist yet (the memory backend creates nothing).
  CRATON_TRY(storage::sqlite::make_directories(cfg.tokendir, static_cast<mode_t>(0777U & ~cfg.umask)));
  CRATON_ASSIGN_OR_RETURN(SecureBytes key, load_or_create_key(key_path(cfg)));
  return Writer::open(std::move(opts), std::move(key));
}

void record_selftest(std::string_view test, std::optional<CK_MECHANISM_TYPE> mechanism, CK_RV result) {
  Event ev;
  ev.name = "selftest";
  ev.mechanism = mechanism;
  ev.result = result;
  ev.approved = false;  // a self-test is not a service
  ev.detail = std::string(test);
  std::lock_guard lock(registry_mu());
  if (g_writer != nullptr) {
    g_writer->append(std::move(ev));
  } else if (pending().size() < kMaxPending) {
    pending().push_back(std::move(ev));
  }
}

// A host that exits without C_Finalize (pkcs11-tool does after an error) would leave the writer
// thread running while exit handlers tear down libcrypto under it. This handler, registered after
// libcrypto's own (atexit runs them in reverse), drains and stops the writer first; records
// queued so far reach the log.
static void close_at_exit() {
  Writer* w = nullptr;
  {
    std::lock_guard lock(registry_mu());
    w = g_writer;
  }
  if (w != nullptr) w->close();
}

void register_writer(Writer* w) {
  static std::once_flag once;
  std::call_once(once, [] { (void)std::atexit(close_at_exit); });
  std::lock_guard lock(registry_mu());
  g_writer = w;
  for (Event& ev : pending()) w->append(std::move(ev));
  pending().clear();
}

void unregister_writer(Writer* w) {
  std::lock_guard lock(registry_mu());
  if (g_writer == w) g_writer = nullptr;
}

}  // namespace craton::audit
