// biocorpus-bench: the measuring half of scripts/bench.sh. Each command
// prints `key=value` lines that the script collects into its report.
//
//   generate N DIR [SEED]        write N documents into DIR (three formats)
//   floor DIR WORK_DIR            in-process floors: parse+tag+serialize, the
//                                 writer's RocksDB batches alone, their CPU
//                                 per document and the combined floor, and
//                                 concurrent unary ingests with and without
//                                 group commits
//   ingest TARGET DIR             IngestDocuments over gRPC (token from
//                                 $BIOCORPUS_INGEST_TOKEN)
//   payload METHOD JSON FILE      a gRPC request body (5-byte framed) for h2load
//   check TARGET METHOD JSON      one call; fails unless grpc-status is OK
//   freshness INGEST QUERY N      ingest acknowledgement to served, N times
//   pg-export DIR OUT_DIR         the same documents as COPY files for PostgreSQL
//   text-queries DIR OUT N        N full-text queries drawn from the documents
//   text-core DIR QUERIES WORK    in-process: ingest with and without the text
//                                 index, then the queries on the search core
//   text-sqlite DIR QUERIES WORK  the same documents and queries in SQLite FTS5
//   text-grpc TARGET QUERIES S C  the queries over gRPC, C at once for S seconds
//   soak INGEST QUERIES DIR S R PIDS  scripts/soak.sh's mixed load (bench/soak.h)
//
// One file for the whole driver (about 400 lines): each command is a short
// function of its own, and bench.sh is its only caller.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "biocorpus/canned/v1/canned_service.pb.h"
#include "bench/bench_util.h"
#include "bench/corpus_generator.h"
#include "bench/soak.h"
#include "bench/text_bench.h"
#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/vocabulary/vocabulary.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "spdlog/spdlog.h"
#include "ingest_service/pipeline/stream_ingester.h"
#include "ingest_service/tagging/concept_matcher.h"
#include "ingest_service/tagging/concept_tagger.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus::bench {
namespace {

int Generate(int count, const std::string& dir, uint64_t seed) {
  CorpusGenerator generator;
  if (absl::Status s = CorpusGenerator::Create(BIOCORPUS_SAMPLES_DIR, seed, &generator); !s.ok()) {
    return Fail(s.ToString());
  }
  uint64_t bytes = 0;
  for (int i = 0; i < count; ++i) {
    const GeneratedDocument doc = generator.Next();
    const std::filesystem::path path = std::filesystem::path(dir) / doc.relative_path;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << doc.content;
    bytes += doc.content.size();
  }
  std::cout << "generated_documents=" << count << "\ngenerated_bytes=" << bytes << "\n";
  return 0;
}

// CPU seconds used by every thread of this process so far.
double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Unary ingests of `contents` by `callers` threads at once through a
// pipeline writing groups of at most `max_group`, into a fresh database
// under `work_dir`; documents per second.
absl::StatusOr<double> UnaryRate(const std::vector<std::string>& contents,
                                 const ConceptTagger* tagger, const std::string& work_dir,
                                 size_t max_group, int callers) {
  std::filesystem::remove_all(work_dir);
  DocumentWriterOptions options;
  options.data_dir = work_dir;
  options.sync_writes = true;
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
  if (!writer.ok()) return writer.status();
  // The pipeline logs every document; this output is the report's.
  spdlog::set_level(spdlog::level::warn);
  IngestPipelineOptions pipeline_options;
  pipeline_options.max_group = max_group;
  const IngestPipeline pipeline(pipeline_options, tagger, writer->get());
  std::atomic<size_t> next{0};
  std::atomic<int> failed{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < contents.size();) {
        DocumentInput input;
        input.content = contents[i];
        input.source_uri = "bench";
        if (!pipeline.Ingest(std::move(input), CallControl()).ok()) ++failed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = Seconds(start);
  (*writer)->Close().IgnoreError();
  std::filesystem::remove_all(work_dir);
  if (failed > 0) return absl::InternalError(absl::StrCat(failed.load(), " unary ingests failed"));
  return static_cast<double>(contents.size()) / seconds;
}

int Floor(const std::string& dir, const std::string& work_dir) {
  std::unique_ptr<ConceptTagger> tagger = MakeTagger();
  if (tagger == nullptr) return Fail("cannot build the built-in vocabulary's tagger");
  std::vector<std::string> contents;
  uint64_t bytes = 0;
  for (const auto& path : Files(dir)) {
    contents.push_back(ReadFile(path));
    bytes += contents.back().size();
  }
  // The writer of floor 2, and the pipeline whose stages floor 1 runs.
  std::filesystem::remove_all(work_dir);
  DocumentWriterOptions options;
  options.data_dir = work_dir;
  options.sync_writes = true;
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
  if (!writer.ok()) return Fail(writer.status().ToString());
  const IngestPipeline pipeline(IngestPipelineOptions(), tagger.get(), writer->get());
  const StreamIngesterOptions stream;

  // Floor 1: parse, tag and serialize, no gRPC and no RocksDB, on as many
  // threads as the service prepares one stream with.
  const int threads = stream.parsers;
  auto start = Clock::now();
  double cpu_start = ProcessCpuSeconds();
  absl::StatusOr<std::vector<PreparedInput>> parsed = PrepareAll(pipeline, contents, threads);
  if (!parsed.ok()) return Fail(parsed.status().ToString());
  uint64_t serialized = 0;
  for (const PreparedInput& file : *parsed) {
    for (const ParsedDocument& document : *file.documents) {
      serialized += document.document.SerializeAsString().size();
      for (const v1::Passage& passage : document.passages) {
        serialized += passage.SerializeAsString().size();
      }
    }
  }
  const double parse_seconds = Seconds(start);
  const double parse_cpu_per_doc =
      (ProcessCpuSeconds() - cpu_start) / static_cast<double>(contents.size());
  std::cout << "floor_parse_threads=" << threads
            << "\nfloor_parse_docs_per_s=" << static_cast<double>(contents.size()) / parse_seconds
            << "\nfloor_parse_mb_per_s=" << static_cast<double>(bytes) / 1e6 / parse_seconds
            << "\nfloor_parse_serialized_bytes=" << serialized << "\n";

  // Floor 2: the writer alone on the prepared files, in group commits of as
  // many files as a stream's window holds (one batch and one fsync each).
  start = Clock::now();
  cpu_start = ProcessCpuSeconds();
  for (size_t first = 0; first < parsed->size(); first += stream.window) {
    std::vector<std::vector<ParsedDocument>> group;
    for (size_t i = first; i < std::min(parsed->size(), first + stream.window); ++i) {
      group.push_back(std::move(*(*parsed)[i].documents));
    }
    for (auto& written : (*writer)->WriteGroup(std::move(group))) {
      if (!written.ok()) return Fail(written.status().ToString());
    }
  }
  const double write_seconds = Seconds(start);
  (*writer)->Close().IgnoreError();
  // The writer's CPU includes RocksDB's background flushes during the run.
  const double write_cpu_per_doc =
      (ProcessCpuSeconds() - cpu_start) / static_cast<double>(parsed->size());
  // Parse and write share the service's cores: the combined floor is those
  // cores divided by the CPU one document costs in both.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::cout << "floor_write_docs_per_s=" << static_cast<double>(parsed->size()) / write_seconds
            << "\nfloor_write_mb_per_s=" << static_cast<double>(bytes) / 1e6 / write_seconds
            << "\nfloor_parse_cpu_ms_per_doc=" << parse_cpu_per_doc * 1e3
            << "\nfloor_write_cpu_ms_per_doc=" << write_cpu_per_doc * 1e3
            << "\nfloor_cores=" << cores
            << "\nfloor_combined_docs_per_s=" << cores / (parse_cpu_per_doc + write_cpu_per_doc)
            << "\n";

  // Concurrent unary ingests (IngestDocument from 16 callers), written one
  // input per commit and in group commits, on the first 2,000 files.
  const std::vector<std::string> some(contents.begin(),
                                      contents.begin() + std::min<size_t>(contents.size(), 2000));
  for (const size_t group : {size_t{1}, IngestPipelineOptions().max_group}) {
    absl::StatusOr<double> rate = UnaryRate(some, tagger.get(), work_dir + "-unary", group, 16);
    if (!rate.ok()) return Fail(rate.status().ToString());
    std::cout << (group == 1 ? "unary_single_docs_per_s=" : "unary_grouped_docs_per_s=") << *rate
              << "\n";
  }
  return 0;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target, bool with_token) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  if (!with_token) {
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  }
  const char* token = std::getenv("BIOCORPUS_INGEST_TOKEN");
  return CreateChannelWithToken(target, token == nullptr ? "" : token,
                                grpc::InsecureChannelCredentials(), args);
}

int Ingest(const std::string& target, const std::string& dir) {
  std::vector<std::string> contents;
  uint64_t bytes = 0;
  for (const auto& path : Files(dir)) {
    contents.push_back(ReadFile(path));
    bytes += contents.back().size();
  }
  auto stub = v1::IngestService::NewStub(Channel(target, true));
  grpc::ClientContext context;
  const auto start = Clock::now();
  auto stream = stub->IngestDocuments(&context);
  std::thread writer([&] {
    for (const std::string& content : contents) {
      v1::IngestDocumentRequest request;
      request.set_content(content);
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  int64_t ok = 0;
  int64_t failed = 0;
  v1::IngestDocumentsResponse response;
  while (stream->Read(&response)) {
    if (response.has_error()) {
      if (failed++ == 0) std::cerr << "refused: " << response.error().message() << "\n";
    } else {
      ++ok;
    }
  }
  writer.join();
  const grpc::Status status = stream->Finish();
  const double seconds = Seconds(start);
  if (!status.ok()) return Fail("ingest stream: " + status.error_message());
  std::cout << "ingest_documents=" << ok << "\ningest_refused=" << failed
            << "\ningest_seconds=" << seconds
            << "\ningest_docs_per_s=" << static_cast<double>(contents.size()) / seconds
            << "\ningest_mb_per_s=" << static_cast<double>(bytes) / 1e6 / seconds << "\n";
  return 0;
}

// The request message of `method` ("/pkg.Service/Method") from JSON.
absl::StatusOr<std::string> RequestBytes(const std::string& method, const std::string& json) {
  std::string name = method.substr(1);
  std::replace(name.begin(), name.end(), '/', '.');
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor == nullptr) return absl::NotFoundError("no method " + method);
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(descriptor->input_type())
          ->New());
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, message.get());
  if (!parsed.ok()) return absl::InvalidArgumentError("request JSON: " + parsed.ToString());
  return message->SerializeAsString();
}

int Payload(const std::string& method, const std::string& json, const std::string& file) {
  absl::StatusOr<std::string> bytes = RequestBytes(method, json);
  if (!bytes.ok()) return Fail(bytes.status().ToString());
  std::string framed(5, '\0');
  const uint32_t size = static_cast<uint32_t>(bytes->size());
  for (int i = 0; i < 4; ++i) framed[1 + i] = static_cast<char>((size >> (24 - 8 * i)) & 0xFF);
  framed += *bytes;
  std::ofstream(file, std::ios::binary) << framed;
  return 0;
}

int Check(const std::string& target, const std::string& method, const std::string& json) {
  absl::StatusOr<std::string> bytes = RequestBytes(method, json);
  if (!bytes.ok()) return Fail(bytes.status().ToString());
  grpc::GenericStub stub(Channel(target, false));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(*bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   done_cv.notify_all();
                 });
  std::unique_lock<std::mutex> lock(mu);
  done_cv.wait(lock, [&] { return done; });
  std::cout << "check " << method << " grpc-status=" << status.error_code() << " response_bytes="
            << response.Length() << "\n";
  if (!status.ok()) return Fail(method + ": " + status.error_message());
  return 0;
}

int Freshness(const std::string& ingest, const std::string& query, int count) {
  auto writer = v1::IngestService::NewStub(Channel(ingest, true));
  auto reader = v1::QueryService::NewStub(Channel(query, false));
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    v1::IngestDocumentRequest request;
    request.set_content(absl::StrCat("AUTHOR=Fresh Test TITLE=Freshness probe ", i,
                                     " on laboratory biosafety DOI=10.7777/fresh.", i,
                                     " ABSTRACT=Biosafety probe ", i, "."));
    v1::IngestDocumentResponse response;
    grpc::ClientContext context;
    if (const grpc::Status s = writer->IngestDocument(&context, request, &response); !s.ok()) {
      return Fail("freshness ingest: " + s.error_message());
    }
    const auto acknowledged = Clock::now();
    while (true) {
      grpc::ClientContext get_context;
      v1::GetDocumentRequest get;
      get.set_name(response.document().name());
      v1::Document document;
      if (reader->GetDocument(&get_context, get, &document).ok()) break;
      if (Seconds(acknowledged) > 10) return Fail("freshness: not served after 10 s");
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ms.push_back(Seconds(acknowledged) * 1000);
    // Spread the probes over the catch-up period.
    std::this_thread::sleep_for(std::chrono::milliseconds(7 + i % 13));
  }
  std::cout << "freshness_probes=" << count << "\nfreshness_p50_ms=" << Percentile(ms, 50)
            << "\nfreshness_p99_ms=" << Percentile(ms, 99) << "\n";
  return 0;
}

// COPY text format: backslash, tab and newline escaped.
std::string CopyField(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\t", "\\t"}, {"\n", "\\n"}, {"\r", "\\r"}});
}

int PgExport(const std::string& dir, const std::string& out_dir) {
  std::unique_ptr<ConceptTagger> tagger = MakeTagger();
  if (tagger == nullptr) return Fail("cannot build the built-in vocabulary's tagger");
  const DocumentPreparer preparer(DocumentParserOptions(), tagger.get());
  std::filesystem::create_directories(out_dir);
  std::ofstream documents(out_dir + "/documents.tsv", std::ios::binary);
  std::ofstream passages(out_dir + "/passages.tsv", std::ios::binary);
  std::ofstream tags(out_dir + "/tags.tsv", std::ios::binary);
  std::ofstream citations(out_dir + "/citations.tsv", std::ios::binary);
  google::protobuf::util::JsonPrintOptions json_options;
  int64_t n = 0;
  for (const auto& path : Files(dir)) {
    absl::StatusOr<std::vector<ParsedDocument>> parsed =
        preparer.Prepare(ReadFile(path), v1::DOCUMENT_FORMAT_UNSPECIFIED, "bench");
    if (!parsed.ok()) return Fail(parsed.status().ToString());
    for (const ParsedDocument& doc : *parsed) {
      const std::string id = doc.document.name();
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(doc.document, &json, json_options);
      documents << ++n << '\t' << CopyField(id) << '\t'
                << (doc.document.doi().empty() ? "\\N" : CopyField(doc.document.doi())) << '\t'
                << CopyField(json) << '\n';
      for (const v1::Passage& passage : doc.passages) {
        std::string passage_json;
        (void)google::protobuf::util::MessageToJsonString(passage, &passage_json, json_options);
        passages << CopyField(id) << '\t' << passage.ordinal() << '\t' << CopyField(passage_json)
                 << '\n';
        std::vector<std::string> seen;
        for (const v1::Annotation& annotation : passage.annotations()) {
          if (std::find(seen.begin(), seen.end(), annotation.concept()) != seen.end()) continue;
          seen.push_back(annotation.concept());
          tags << CopyField(annotation.concept()) << '\t' << CopyField(id) << '\t'
               << passage.ordinal() << '\n';
        }
        for (const v1::Link& link : passage.links()) {
          const std::string key = link.doi().empty() ? link.url() : "doi:" + link.doi();
          citations << CopyField(key) << '\t' << CopyField(id) << '\t' << passage.ordinal()
                    << '\n';
        }
      }
    }
  }
  std::cout << "pg_documents=" << n << "\n";
  return 0;
}

}  // namespace
}  // namespace biocorpus::bench

int main(int argc, char** argv) {
  using namespace biocorpus::bench;
  // Links the health messages in, so that payload and check find
  // grpc.health.v1.Health/Check (the trivial RPC) in the generated pool.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  // And the canned-response floor's, for biocorpus.canned.v1.CannedService.
  (void)biocorpus::canned::v1::GetCannedRequest::descriptor();
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::string command = args.empty() ? "" : args[0];
  if (command == "generate" && args.size() >= 3) {
    return Generate(std::stoi(args[1]), args[2], args.size() > 3 ? std::stoull(args[3]) : 1);
  }
  if (command == "floor" && args.size() == 3) return Floor(args[1], args[2]);
  if (command == "ingest" && args.size() == 3) return Ingest(args[1], args[2]);
  if (command == "payload" && args.size() == 4) return Payload(args[1], args[2], args[3]);
  if (command == "check" && args.size() == 4) return Check(args[1], args[2], args[3]);
  if (command == "freshness" && args.size() == 4) {
    return Freshness(args[1], args[2], std::stoi(args[3]));
  }
  if (command == "pg-export" && args.size() == 3) return PgExport(args[1], args[2]);
  if (command == "text-queries" && args.size() == 4) {
    return TextQueries(args[1], args[2], std::stoi(args[3]));
  }
  if (command == "text-core" && args.size() == 4) return TextCore(args[1], args[2], args[3]);
  if (command == "text-sqlite" && args.size() == 4) return TextSqlite(args[1], args[2], args[3]);
  if (command == "text-grpc" && args.size() == 5) {
    return TextGrpc(args[1], args[2], std::stoi(args[3]), std::stoi(args[4]));
  }
  if (command == "soak" && args.size() == 7) {
    return Soak(args[1], args[2], args[3], std::stoi(args[4]), std::stoi(args[5]), args[6]);
  }
  std::cerr << "usage: see the comment at the top of bench/bench_main.cc\n";
  return 2;
}
