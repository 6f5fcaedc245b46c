#include "bench/soak.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/bench_util.h"
#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/rpc/bearer_token.h"

namespace biocorpus::bench {
namespace {

constexpr char kConcept[] = "topic/laboratory-biosafety";
constexpr int kQueryThreads = 4;

// Every query method, and the ingest calls the soak makes.
const std::vector<std::string>& QueryMethods() {
  static const auto* const kMethods = new std::vector<std::string>{
      "GetDocument",     "ListDocuments",      "ListPassages",        "SearchPassages",
      "ListTags",        "LookupCitation",     "ListCitingPassages",  "ListReferences",
      "CountConcepts",   "CooccurringConcepts", "SignificantConcepts", "ExportDocuments"};
  return *kMethods;
}

struct Known {
  std::string name;
  std::string doi;
};

// Calls, failures by code and latencies, by method and by interval.
class Stats {
 public:
  void Record(const std::string& method, const grpc::Status& status, double ms) {
    std::lock_guard<std::mutex> lock(mu_);
    Method& m = methods_[method];
    ++m.calls;
    m.latencies.push_back(static_cast<float>(ms));
    interval_.push_back(ms);
    ++interval_calls_;
    if (!status.ok()) {
      ++m.failures[status.error_code()];
      ++interval_failures_;
      if (first_failure_.empty()) {
        first_failure_ = absl::StrCat(method, ": ", status.error_code(), " ",
                                      status.error_message());
      }
    }
  }

  // The interval's calls, failures and p99 (ms), and starts the next one.
  void TakeInterval(int64_t* calls, int64_t* failures, double* p99) {
    std::lock_guard<std::mutex> lock(mu_);
    *calls = interval_calls_;
    *failures = interval_failures_;
    *p99 = interval_.empty() ? 0 : Percentile(std::move(interval_), 99);
    interval_.clear();
    interval_calls_ = interval_failures_ = 0;
  }

  int64_t TotalFailures() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t failures = 0;
    for (const auto& [name, m] : methods_) {
      for (const auto& [code, n] : m.failures) failures += n;
    }
    return failures;
  }

  void PrintTable() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::printf("\n%-22s %9s %7s %-20s %8s %8s\n", "method", "calls", "failed", "codes",
                "p50_ms", "p99_ms");
    for (const auto& [name, m] : methods_) {
      int64_t failed = 0;
      std::string codes;
      for (const auto& [code, n] : m.failures) {
        failed += n;
        absl::StrAppend(&codes, codes.empty() ? "" : ",", code, "x", n);
      }
      std::vector<double> values(m.latencies.begin(), m.latencies.end());
      std::printf("%-22s %9lld %7lld %-20s %8.2f %8.2f\n", name.c_str(),
                  static_cast<long long>(m.calls), static_cast<long long>(failed),
                  codes.empty() ? "-" : codes.c_str(), Percentile(values, 50),
                  Percentile(values, 99));
    }
    if (!first_failure_.empty()) std::printf("first failure: %s\n", first_failure_.c_str());
  }

 private:
  struct Method {
    int64_t calls = 0;
    std::map<int, int64_t> failures;
    std::vector<float> latencies;
  };
  mutable std::mutex mu_;
  std::map<std::string, Method> methods_;
  std::vector<double> interval_;
  int64_t interval_calls_ = 0;
  int64_t interval_failures_ = 0;
  std::string first_failure_;
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

// One call of `method` about a seeded document.
grpc::Status Call(v1::QueryService::Stub& stub, const std::string& method, const Known& doc,
                  std::mt19937& rng) {
  auto c = Context();
  if (method == "GetDocument") {
    v1::GetDocumentRequest r;
    r.set_name(doc.name);
    v1::Document out;
    return stub.GetDocument(c.get(), r, &out);
  }
  if (method == "ListDocuments") {
    v1::ListDocumentsRequest r;
    r.set_page_size(20);
    v1::ListDocumentsResponse out;
    return stub.ListDocuments(c.get(), r, &out);
  }
  if (method == "ListPassages") {
    v1::ListPassagesRequest r;
    r.set_parent(doc.name);
    r.set_page_size(20);
    v1::ListPassagesResponse out;
    return stub.ListPassages(c.get(), r, &out);
  }
  if (method == "SearchPassages") {
    v1::SearchPassagesRequest r;
    if (rng() % 2 == 0) {
      r.add_concepts(kConcept);
    } else {
      r.set_query("laboratory biosafety");
    }
    r.set_page_size(20);
    v1::SearchPassagesResponse out;
    return stub.SearchPassages(c.get(), r, &out);
  }
  if (method == "ListTags") {
    v1::ListTagsRequest r;
    r.set_category(v1::TOPIC);
    v1::ListTagsResponse out;
    return stub.ListTags(c.get(), r, &out);
  }
  if (method == "LookupCitation") {
    v1::LookupCitationRequest r;
    r.set_doi(doc.doi);
    v1::LookupCitationResponse out;
    return stub.LookupCitation(c.get(), r, &out);
  }
  if (method == "ListCitingPassages") {
    v1::ListCitingPassagesRequest r;
    r.set_doi(doc.doi);
    r.set_page_size(20);
    v1::ListCitingPassagesResponse out;
    return stub.ListCitingPassages(c.get(), r, &out);
  }
  if (method == "ListReferences") {
    v1::ListReferencesRequest r;
    r.set_parent(doc.name);
    r.set_page_size(20);
    v1::ListReferencesResponse out;
    return stub.ListReferences(c.get(), r, &out);
  }
  if (method == "CountConcepts") {
    v1::CountConceptsRequest r;
    r.set_category(v1::TOPIC);
    r.set_group_by(rng() % 2 == 0 ? v1::CountConceptsRequest::CONCEPT
                                  : v1::CountConceptsRequest::YEAR);
    v1::CountConceptsResponse out;
    return stub.CountConcepts(c.get(), r, &out);
  }
  if (method == "CooccurringConcepts") {
    v1::CooccurringConceptsRequest r;
    r.mutable_rows()->add_concepts(kConcept);
    r.mutable_columns()->set_category(v1::TOPIC);
    v1::CooccurringConceptsResponse out;
    return stub.CooccurringConcepts(c.get(), r, &out);
  }
  if (method == "SignificantConcepts") {
    v1::SignificantConceptsRequest r;
    r.add_concepts(kConcept);
    v1::SignificantConceptsResponse out;
    return stub.SignificantConcepts(c.get(), r, &out);
  }
  v1::ExportDocumentsRequest r;
  r.add_names(doc.name);
  auto reader = stub.ExportDocuments(c.get(), r);
  v1::ExportDocumentsResponse out;
  while (reader->Read(&out)) {
  }
  return reader->Finish();
}

// Streams `contents`; the acknowledged documents.
std::vector<Known> Stream(v1::IngestService::Stub& ingest, const std::vector<std::string>& contents,
                          Stats* stats) {
  const auto start = Clock::now();
  auto context = Context();
  auto stream = ingest.IngestDocuments(context.get());
  for (const std::string& content : contents) {
    v1::IngestDocumentRequest request;
    request.set_content(content);
    if (!stream->Write(request)) break;
  }
  stream->WritesDone();
  std::vector<Known> written;
  v1::IngestDocumentsResponse response;
  int errors = 0;
  while (stream->Read(&response)) {
    if (response.has_error()) {
      ++errors;
      continue;
    }
    const v1::Document& d = response.result().document();
    written.push_back({d.name(), d.doi()});
    for (const v1::IngestDocumentResponse& extra : response.result().additional_records()) {
      written.push_back({extra.document().name(), extra.document().doi()});
    }
  }
  grpc::Status status = stream->Finish();
  if (status.ok() && errors > 0) {
    status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a record was refused");
  }
  if (stats != nullptr) stats->Record("IngestDocuments", status, Seconds(start) * 1e3);
  return written;
}

struct ProcessSample {
  double rss_mib = 0;
  int fds = 0;
};

ProcessSample Sample(int pid) {
  ProcessSample s;
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_mib = std::atof(line.c_str() + 6) / 1024;
  }
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/fd"), error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++s.fds;
  }
  return s;
}

}  // namespace

int Soak(const std::string& ingest_target, const std::string& query_targets,
         const std::string& corpus_dir, int seconds, int report_seconds,
         const std::string& pids_arg) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  const char* token = std::getenv("BIOCORPUS_INGEST_TOKEN");
  auto ingest = v1::IngestService::NewStub(CreateChannelWithToken(
      ingest_target, token == nullptr ? "" : token, grpc::InsecureChannelCredentials(), args));
  std::vector<std::unique_ptr<v1::QueryService::Stub>> queries;
  for (absl::string_view target : absl::StrSplit(query_targets, ',', absl::SkipEmpty())) {
    queries.push_back(v1::QueryService::NewStub(grpc::CreateCustomChannel(
        std::string(target), grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<std::pair<std::string, int>> pids;
  for (absl::string_view item : absl::StrSplit(pids_arg, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, '=');
    int pid = 0;
    if (absl::SimpleAtoi(kv.second, &pid)) pids.emplace_back(kv.first, pid);
  }
  std::vector<std::string> contents;
  for (const auto& path : Files(corpus_dir)) contents.push_back(ReadFile(path));
  if (contents.size() < 100 || queries.empty()) return Fail("soak needs 100 documents and a query target");

  // The seeded documents are only read; the rest come and go.
  const size_t seed_count = contents.size() / 2;
  std::vector<Known> seeded;
  for (size_t i = 0; i < seed_count; i += 200) {
    const std::vector<std::string> batch(contents.begin() + i,
                                         contents.begin() + std::min(seed_count, i + 200));
    for (Known& k : Stream(*ingest, batch, nullptr)) seeded.push_back(std::move(k));
  }
  if (seeded.empty()) return Fail("seeding stored nothing");
  // The citation lookups ask for the DOI of a seeded document that has one.
  std::vector<Known> with_doi;
  for (const Known& k : seeded) {
    if (!k.doi.empty()) with_doi.push_back(k);
  }
  if (with_doi.empty()) return Fail("no seeded document has a DOI");
  {
    v1::PublishSnapshotResponse published;
    const grpc::Status s = ingest->PublishSnapshot(Context().get(), {}, &published);
    if (!s.ok()) return Fail("PublishSnapshot: " + s.error_message());
  }
  const auto ready_by = Clock::now() + std::chrono::seconds(60);
  for (auto& stub : queries) {
    std::mt19937 rng(1);
    while (!Call(*stub, "GetDocument", seeded.back(), rng).ok()) {
      if (Clock::now() > ready_by) return Fail("a query target never served the seeded documents");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  std::printf("soak: %zu documents seeded, %zu query targets, %d s\n", seeded.size(),
              queries.size(), seconds);

  // The highest rate of the mix, closed loop.
  std::atomic<int64_t> calibration_calls{0};
  {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kQueryThreads; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 rng(static_cast<uint32_t>(t));
        for (size_t i = 0; !stop.load(); ++i) {
          const std::string& method = QueryMethods()[i % QueryMethods().size()];
          const bool cites = method == "LookupCitation" || method == "ListCitingPassages";
          const Known& doc =
              cites ? with_doi[rng() % with_doi.size()] : seeded[rng() % seeded.size()];
          Call(*queries[rng() % queries.size()], method, doc, rng).ok();
          ++calibration_calls;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(5));
    stop = true;
    for (auto& t : threads) t.join();
  }
  const double max_rate = static_cast<double>(calibration_calls.load()) / 5.0;
  const double rate = max_rate / 2;
  std::printf("soak: mixed query maximum %.0f calls/s; driving %.0f calls/s\n", max_rate, rate);

  Stats stats;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kQueryThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<uint32_t>(100 + t));
      const auto interval = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(kQueryThreads / rate));
      auto next = Clock::now();
      for (size_t i = static_cast<size_t>(t); !stop.load(); ++i) {
        const std::string& method = QueryMethods()[i % QueryMethods().size()];
        const bool cites = method == "LookupCitation" || method == "ListCitingPassages";
        const Known& doc = cites ? with_doi[rng() % with_doi.size()] : seeded[rng() % seeded.size()];
        const auto start = Clock::now();
        const grpc::Status status = Call(*queries[rng() % queries.size()], method, doc, rng);
        stats.Record(method, status, Seconds(start) * 1e3);
        next += interval;
        if (next > Clock::now()) std::this_thread::sleep_until(next);
      }
    });
  }
  // Ingest: streams of the other documents, deletes of the oldest of them,
  // a snapshot every fifth round (the replicas swap to it).
  threads.emplace_back([&] {
    std::vector<Known> churn;
    size_t cursor = seed_count;
    for (int round = 0; !stop.load(); ++round) {
      std::vector<std::string> batch;
      for (int i = 0; i < 40; ++i) {
        batch.push_back(contents[cursor]);
        cursor = cursor + 1 < contents.size() ? cursor + 1 : seed_count;
      }
      for (Known& k : Stream(*ingest, batch, &stats)) churn.push_back(std::move(k));
      while (churn.size() > 400) {
        v1::DeleteDocumentRequest request;
        request.set_name(churn.front().name);
        v1::DeleteDocumentResponse response;
        const auto start = Clock::now();
        grpc::Status status = ingest->DeleteDocument(Context().get(), request, &response);
        // A document acknowledged twice in the churn list is deleted once.
        if (status.error_code() == grpc::StatusCode::NOT_FOUND) status = grpc::Status::OK;
        stats.Record("DeleteDocument", status, Seconds(start) * 1e3);
        churn.erase(churn.begin());
      }
      if (round % 5 == 4) {
        v1::PublishSnapshotResponse published;
        const auto start = Clock::now();
        const grpc::Status status = ingest->PublishSnapshot(Context().get(), {}, &published);
        stats.Record("PublishSnapshot", status, Seconds(start) * 1e3);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });

  std::map<std::string, std::vector<ProcessSample>> samples;
  std::printf("%6s %8s %7s %8s", "t_s", "calls", "failed", "p99_ms");
  for (const auto& [name, pid] : pids) std::printf(" %10s %6s", (name + "_MiB").c_str(), "fds");
  std::printf("\n");
  const auto start = Clock::now();
  for (int t = report_seconds; t <= seconds; t += report_seconds) {
    std::this_thread::sleep_until(start + std::chrono::seconds(t));
    int64_t calls = 0, failures = 0;
    double p99 = 0;
    stats.TakeInterval(&calls, &failures, &p99);
    std::printf("%6d %8lld %7lld %8.2f", t, static_cast<long long>(calls),
                static_cast<long long>(failures), p99);
    for (const auto& [name, pid] : pids) {
      const ProcessSample s = Sample(pid);
      samples[name].push_back(s);
      std::printf(" %10.1f %6d", s.rss_mib, s.fds);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  stop = true;
  for (auto& t : threads) t.join();
  stats.PrintTable();

  // Levelled off: the highest RSS of the second half of the run is at most a
  // tenth (and 16 MiB) above the highest of the first, and so for open
  // files (a fifth and 16: a snapshot swap opens the new one's files before
  // the old one's close).
  bool level = true;
  for (const auto& [name, series] : samples) {
    if (series.size() < 2) continue;
    ProcessSample first, second;
    for (size_t i = 0; i < series.size(); ++i) {
      ProcessSample& half = i < series.size() / 2 ? first : second;
      half.rss_mib = std::max(half.rss_mib, series[i].rss_mib);
      half.fds = std::max(half.fds, series[i].fds);
    }
    const bool rss_level = second.rss_mib <= first.rss_mib * 1.10 + 16;
    const bool fds_level = second.fds <= first.fds * 1.2 + 16;
    std::printf("%s: highest RSS %.1f MiB in the first half, %.1f in the second (%s); open "
                "files %d, %d (%s)\n",
                name.c_str(), first.rss_mib, second.rss_mib, rss_level ? "levels off" : "GROWS",
                first.fds, second.fds, fds_level ? "levels off" : "GROWS");
    level = level && rss_level && fds_level;
  }
  const int64_t failures = stats.TotalFailures();
  std::printf("soak: %lld failed calls (target 0: %s); memory and open files %s\n",
              static_cast<long long>(failures), failures == 0 ? "met" : "missed",
              level ? "level off (met)" : "grow (missed)");
  return failures == 0 && level ? 0 : 1;
}

}  // namespace biocorpus::bench
