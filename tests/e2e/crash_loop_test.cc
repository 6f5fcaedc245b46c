// The crash loop: the ingest service killed with SIGKILL at a random moment
// while streams, updates, deletes, re-tagging and snapshot publication run,
// again and again. After every kill the database it left is checked (every
// acknowledged write present and whole, nothing acknowledged lost, the
// consistency check passing) and the service is started again on it. At the
// end the newest snapshot restores and passes the check too.
//
// BIOCORPUS_CRASH_ITERATIONS sets the number of kills (4 by default, for
// CI; the long run in docs/durability.md used 200); BIOCORPUS_CRASH_SEED
// replays a run (the seed is printed). What is asserted holds whatever the
// moment of the kill; only what is exercised depends on it.

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "corpus/check/consistency_check.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/storage/schema.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

constexpr int kDeleted = -1;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  return value != nullptr && absl::SimpleAtoi(value, &parsed) ? parsed : fallback;
}

// Record `n` at `version`: the version is in the title, so that the stored
// one tells which write it is.
std::string Record(int n, int version) {
  return absl::StrCat("TITLE=Crash loop record ", n, " version ", version,
                      " AUTHOR=Loop Crash DOI=10.5555/loop.", n,
                      " ABSTRACT=Gain-of-function research and biosafety in Wuhan, version ",
                      version, ", citing https://doi.org/10.5555/cited.", n % 5, ".");
}

int VersionOfTitle(const std::string& title) {
  int version = 0;
  const size_t at = title.rfind(' ');
  return at != std::string::npos && absl::SimpleAtoi(title.substr(at + 1), &version) ? version
                                                                                     : -2;
}

// What the client knows: the last acknowledged version of each document,
// and the versions a write in flight when the service died may have left.
struct Model {
  std::map<std::string, int> acknowledged;       // Name -> version or kDeleted.
  std::map<std::string, std::set<int>> in_flight;  // Name -> versions maybe written.
  std::map<std::string, int> record_of;          // Name -> record number.
  int acknowledged_writes = 0;
  // Documents whose write was in flight at a kill, and of them those the
  // kill left written.
  int in_flight_at_kill = 0;
  int in_flight_written = 0;
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return context;
}

// Runs random operations until one fails (the service is gone).
void Operate(v1::IngestService::Stub& ingest, std::mt19937& rng, int* next_record, Model* model,
             std::map<std::string, int>* counts) {
  while (true) {
    const int choice = std::uniform_int_distribution<int>(0, 9)(rng);
    if (choice <= 5) {  // A stream of new records and updates.
      ++(*counts)["stream"];
      std::vector<std::pair<int, int>> sent;  // Record, version.
      std::set<std::string> updating;
      const int size = std::uniform_int_distribution<int>(10, 60)(rng);
      for (int i = 0; i < size; ++i) {
        if (!model->record_of.empty() && std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
          auto it = model->record_of.begin();
          std::advance(it, std::uniform_int_distribution<size_t>(0, model->record_of.size() - 1)(rng));
          if (updating.insert(it->first).second) {
            const int current = model->acknowledged[it->first];
            const int version = (current == kDeleted ? 0 : current) + 1;
            sent.emplace_back(it->second, version);
            model->in_flight[it->first].insert(version);
            continue;
          }
        }
        sent.emplace_back((*next_record)++, 0);
      }
      auto context = Context();
      auto stream = ingest.IngestDocuments(context.get());
      for (const auto& [n, version] : sent) {
        v1::IngestDocumentRequest request;
        request.set_content(Record(n, version));
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
      v1::IngestDocumentsResponse response;
      while (stream->Read(&response)) {
        if (!response.has_result()) continue;
        const v1::Document& document = response.result().document();
        const auto [n, version] = sent[static_cast<size_t>(response.index())];
        model->acknowledged[document.name()] = version;
        model->in_flight.erase(document.name());
        model->record_of[document.name()] = n;
        ++model->acknowledged_writes;
      }
      if (!stream->Finish().ok()) return;
    } else if (choice <= 7) {  // A delete.
      if (model->record_of.empty()) continue;
      ++(*counts)["delete"];
      auto it = model->record_of.begin();
      std::advance(it, std::uniform_int_distribution<size_t>(0, model->record_of.size() - 1)(rng));
      if (model->acknowledged[it->first] == kDeleted) continue;
      model->in_flight[it->first].insert(kDeleted);
      v1::DeleteDocumentRequest request;
      request.set_name(it->first);
      v1::DeleteDocumentResponse response;
      const grpc::Status status = ingest.DeleteDocument(Context().get(), request, &response);
      if (!status.ok()) return;
      model->acknowledged[it->first] = kDeleted;
      model->in_flight.erase(it->first);
      ++model->acknowledged_writes;
    } else if (choice == 8) {
      ++(*counts)["retag"];
      v1::RetagDocumentsRequest request;
      request.set_force(true);
      v1::RetagDocumentsResponse response;
      if (!ingest.RetagDocuments(Context().get(), request, &response).ok()) return;
    } else {
      ++(*counts)["snapshot"];
      v1::PublishSnapshotRequest request;
      v1::PublishSnapshotResponse response;
      if (!ingest.PublishSnapshot(Context().get(), request, &response).ok()) return;
    }
  }
}

std::unique_ptr<CorpusDb> OpenReadOnly(const std::string& path) {
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenForCheck(path);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? std::move(*db) : nullptr;
}

void ExpectConsistent(const CorpusDb& db, const std::string& what) {
  absl::StatusOr<ConsistencyReport> report = CheckConsistency(db);
  ASSERT_TRUE(report.ok()) << what << ": " << report.status();
  EXPECT_TRUE(report->ok()) << what << ":\n" << FormatConsistencyReport(*report);
}

// Every acknowledged write is in the database the kill left, and each
// document in flight is in one of the states its writes allow; the model
// then takes what is stored as known.
void VerifyAndSettle(const CorpusDb& db, Model* model, int kill) {
  for (auto& [name, version] : model->acknowledged) {
    SCOPED_TRACE(absl::StrCat("kill ", kill, ", ", name));
    std::set<int> allowed = {version};
    const auto in_flight = model->in_flight.find(name);
    if (in_flight != model->in_flight.end()) {
      allowed.insert(in_flight->second.begin(), in_flight->second.end());
    }
    absl::StatusOr<v1::Document> stored = db.ReadDocument(DocIdFromName(name));
    int found = kDeleted;
    if (stored.ok()) {
      found = VersionOfTitle(stored->title());
      absl::StatusOr<std::vector<v1::Passage>> passages = db.ReadPassages(DocIdFromName(name));
      ASSERT_TRUE(passages.ok()) << passages.status();
      EXPECT_EQ(static_cast<int>(passages->size()), stored->passage_count());
      EXPECT_GT(stored->passage_count(), 0);
    } else {
      ASSERT_TRUE(absl::IsNotFound(stored.status())) << stored.status();
    }
    EXPECT_EQ(allowed.count(found), 1u)
        << "stored version " << found << ", acknowledged " << version;
    if (in_flight != model->in_flight.end()) {
      ++model->in_flight_at_kill;
      if (found != version) ++model->in_flight_written;
    }
    version = found;
  }
  model->in_flight.clear();
}

TEST(CrashLoopTest, EveryAcknowledgedWriteSurvivesRepeatedSigkill) {
  const int iterations = EnvInt("BIOCORPUS_CRASH_ITERATIONS", 4);
  const uint32_t seed = static_cast<uint32_t>(
      EnvInt("BIOCORPUS_CRASH_SEED", static_cast<int>(std::random_device()() >> 1)));
  std::printf("crash loop: %d kills, BIOCORPUS_CRASH_SEED=%u\n", iterations, seed);
  std::mt19937 rng(seed);

  ServicePair pair;
  const std::string snapshots = pair.temp_dir() + "/snapshots";
  const std::vector<std::string> args = {"--sync_writes=true", "--snapshot_dir=" + snapshots,
                                         "--snapshot_interval_s=3600", "--snapshot_keep=2"};
  pair.set_ingest_args(args);
  ASSERT_TRUE(pair.Start(/*with_query=*/false)) << pair.error();

  Model model;
  int next_record = 0;
  std::map<std::string, int> counts;
  const auto started = std::chrono::steady_clock::now();
  for (int kill = 1; kill <= iterations; ++kill) {
    std::mt19937 worker_rng(rng());
    std::thread worker(
        [&] { Operate(pair.ingest(), worker_rng, &next_record, &model, &counts); });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 1500)(rng)));
    pair.ingest_process().Signal(SIGKILL);
    worker.join();
    pair.ingest_process().Stop(SIGKILL);  // Reap it.
    {
      std::unique_ptr<CorpusDb> db = OpenReadOnly(pair.data_dir());
      ASSERT_NE(db, nullptr);
      VerifyAndSettle(*db, &model, kill);
      ExpectConsistent(*db, absl::StrCat("after kill ", kill));
    }
    if (::testing::Test::HasFailure()) break;
    ASSERT_TRUE(pair.RestartIngest(args)) << pair.error();
  }
  pair.ingest_process().Stop(SIGTERM);

  // The newest snapshot that survived the kills restores and is consistent.
  if (std::filesystem::exists(snapshots + "/meta")) {
    uint32_t checked = 0;
    absl::StatusOr<ConsistencyReport> report = CheckSnapshot(snapshots, 0, 100, &checked);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok()) << "snapshot " << checked << ":\n"
                              << FormatConsistencyReport(*report);
    counts["newest snapshot checked"] = static_cast<int>(checked);
  }
  std::string summary;
  for (const auto& [what, n] : counts) absl::StrAppend(&summary, " ", what, "=", n);
  std::printf(
      "crash loop: %d kills in %.1f s, %d acknowledged writes, %zu documents known, %d "
      "unacknowledged writes of known documents in flight at a kill (%d of them written);%s\n",
      iterations,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
      model.acknowledged_writes, model.acknowledged.size(), model.in_flight_at_kill,
      model.in_flight_written, summary.c_str());
}

}  // namespace
}  // namespace biocorpus::testing
