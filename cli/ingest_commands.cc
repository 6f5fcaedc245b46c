// biocorpus ingest, delete, retag and publish: calls to the ingest service.

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/tls.h"
#include "cli/cli_common.h"
#include "cli/cli_flags.h"

namespace biocorpus::cli {
namespace fs = std::filesystem;

int Ingest(const std::vector<char*>& args) {
  v1::DocumentFormat format;
  if (!ParseFormat(absl::GetFlag(FLAGS_format), &format)) {
    return Fail("--format must be citation_record, mirrored_article or "
                "plain_abstract");
  }
  std::string error;
  const std::vector<fs::path> files = ExpandPaths(args, &error);
  if (!error.empty()) return Fail(error);
  if (files.empty()) return Fail("ingest: give at least one file or folder");

  auto stub = v1::IngestService::NewStub(Connect(/*with_token=*/true));
  grpc::ClientContext context;
  auto stream = stub->IngestDocuments(&context);
  // Write from one thread while this one reads results as they come.
  std::thread writer([&] {
    for (const fs::path& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      v1::IngestDocumentRequest request;
      request.set_content(content.str());
      request.set_format(format);
      request.set_source_uri(file.string());
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });

  const int every = std::max(1, absl::GetFlag(FLAGS_progress_every));
  const auto start = std::chrono::steady_clock::now();
  int done = 0;
  int refused = 0;
  std::map<std::string, int> counts;
  v1::IngestDocumentsResponse response;
  while (stream->Read(&response)) {
    ++done;
    if (response.has_error()) {
      ++refused;
      std::cout << "ERROR     " << response.source_uri() << ": "
                << response.error().message() << "\n";
    } else {
      std::vector<const v1::IngestDocumentResponse*> records = {&response.result()};
      for (const auto& more : response.result().additional_records()) {
        records.push_back(&more);
      }
      for (const v1::IngestDocumentResponse* r : records) {
        const std::string status = v1::IngestDocumentResponse::IngestStatus_Name(r->status());
        ++counts[status];
        std::cout << status << std::string(10 - std::min<size_t>(9, status.size()), ' ')
                  << r->document().name() << "  " << response.source_uri() << "  ("
                  << v1::DocumentFormat_Name(r->document().format()) << ", "
                  << r->passage_count() << " passages, " << r->citation_count()
                  << " citations)\n";
        for (const std::string& warning : r->warnings()) {
          std::cout << "          warning: " << warning << "\n";
        }
      }
    }
    if (done % every == 0 && done < static_cast<int>(files.size())) {
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      std::cerr << absl::StrCat("progress: ", done, "/", files.size(),
                                " documents, ", refused, " refused, ",
                                static_cast<int>(done / std::max(seconds, 1e-3)),
                                " documents/s\n");
    }
  }
  writer.join();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) {
    return Fail(absl::StrCat("ingest stream failed: ", status.error_message()));
  }
  std::cout << absl::StrCat(done, " files: ", counts["CREATED"], " created, ",
                            counts["UPDATED"], " updated, ", counts["UNCHANGED"],
                            " unchanged, ", refused, " refused\n");
  return refused == 0 ? 0 : 1;
}

int Delete(const std::vector<char*>& args) {
  auto stub = v1::IngestService::NewStub(Connect(/*with_token=*/true));
  int failed = 0;
  for (size_t i = 2; i < args.size(); ++i) {
    grpc::ClientContext context;
    v1::DeleteDocumentRequest request;
    request.set_name(args[i]);
    v1::DeleteDocumentResponse response;
    const grpc::Status status = stub->DeleteDocument(&context, request, &response);
    if (status.ok()) {
      std::cout << "DELETED   " << args[i] << "\n";
    } else {
      ++failed;
      std::cout << "ERROR     " << args[i] << ": " << status.error_message() << "\n";
    }
  }
  return failed == 0 ? 0 : 1;
}

int Retag() {
  auto stub = v1::IngestService::NewStub(Connect(/*with_token=*/true));
  grpc::ClientContext context;
  v1::RetagDocumentsRequest request;
  request.set_force(absl::GetFlag(FLAGS_force));
  v1::RetagDocumentsResponse response;
  const grpc::Status status = stub->RetagDocuments(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  std::cout << "vocabulary " << response.vocabulary_version() << ": "
            << response.documents_retagged() << " of " << response.documents_examined()
            << " documents re-tagged\n";
  return 0;
}

int Publish() {
  auto stub = v1::IngestService::NewStub(Connect(/*with_token=*/true));
  grpc::ClientContext context;
  v1::PublishSnapshotResponse response;
  const grpc::Status status =
      stub->PublishSnapshot(&context, v1::PublishSnapshotRequest(), &response);
  if (!status.ok()) return Fail(status.error_message());
  std::cout << "snapshot " << response.snapshot_id() << " at commit "
            << response.commit_token() << ", " << response.size_bytes() << " bytes"
            << (response.created() ? "" : " (nothing new: the newest snapshot)") << "\n";
  return 0;
}

}  // namespace biocorpus::cli
