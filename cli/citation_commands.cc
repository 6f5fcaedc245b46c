// biocorpus cite, citing and references: citation lookups.

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

int Cite() {
  v1::LookupCitationRequest request;
  const std::string author = absl::GetFlag(FLAGS_author);
  if (!absl::GetFlag(FLAGS_doi).empty()) {
    request.set_doi(absl::GetFlag(FLAGS_doi));
  } else if (!absl::GetFlag(FLAGS_url).empty()) {
    request.set_url(absl::GetFlag(FLAGS_url));
  } else if (!absl::GetFlag(FLAGS_title).empty()) {
    request.set_title(absl::GetFlag(FLAGS_title));
  } else if (!author.empty()) {
    const size_t colon = author.find(':');
    request.mutable_author()->set_family(author.substr(0, colon));
    int year = 0;
    if (colon != std::string::npos && !absl::SimpleAtoi(author.substr(colon + 1), &year)) {
      return Fail("--author must be FAMILY or FAMILY:YEAR");
    }
    request.mutable_author()->set_year(year);
  } else {
    return Fail("cite: give --doi, --url, --title or --author");
  }
  for (const std::string& name : absl::GetFlag(FLAGS_formats)) {
    v1::CitationFormat format;
    if (!v1::CitationFormat_Parse(absl::AsciiStrToUpper(name), &format)) {
      return Fail("--formats takes apa, bibtex, ris, csl_json");
    }
    request.add_formats(format);
  }
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::LookupCitationResponse response;
  const grpc::Status status = stub->LookupCitation(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
    return 0;
  }
  for (const v1::Citation& c : response.citations()) {
    std::cout << c.document() << "  (score " << c.score() << ")\n";
    for (const v1::Rendering& r : c.renderings()) std::cout << r.text() << "\n";
  }
  return 0;
}

int Citing() {
  v1::ListCitingPassagesRequest request;
  if (!absl::GetFlag(FLAGS_doi).empty()) {
    request.set_doi(absl::GetFlag(FLAGS_doi));
  } else if (!absl::GetFlag(FLAGS_url).empty()) {
    request.set_url(absl::GetFlag(FLAGS_url));
  } else {
    return Fail("citing: give --doi or --url");
  }
  auto stub = v1::QueryService::NewStub(Connect());
  for (;;) {
    grpc::ClientContext context;
    v1::ListCitingPassagesResponse response;
    const grpc::Status status = stub->ListCitingPassages(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    for (const v1::Passage& p : response.passages()) {
      std::cout << p.name() << "  " << Shorten(p.text(), 90) << "\n";
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return 0;
}

int References(const std::vector<char*>& args) {
  if (args.size() != 3) return Fail("references: give one documents/ID");
  v1::ListReferencesRequest request;
  request.set_parent(args[2]);
  auto stub = v1::QueryService::NewStub(Connect());
  for (;;) {
    grpc::ClientContext context;
    v1::ListReferencesResponse response;
    const grpc::Status status = stub->ListReferences(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    for (const v1::Reference& r : response.references()) {
      std::cout << r.passage() << "  \"" << r.link().anchor_text() << "\" -> "
                << r.link().url()
                << (r.cited_document().empty() ? "" : "  (in corpus: " + r.cited_document() + ")")
                << "\n";
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return 0;
}

}  // namespace biocorpus::cli
