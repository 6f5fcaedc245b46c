// biocorpus get, documents, passages, search, tags and summary: calls to the
// query service.

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

int Get(const std::vector<char*>& args) {
  if (args.size() != 3) return Fail("get: give one documents/ID");
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::GetDocumentRequest request;
  request.set_name(args[2]);
  v1::Document document;
  const grpc::Status status = stub->GetDocument(&context, request, &document);
  if (!status.ok()) return Fail(status.error_message());
  std::cout << Json(document);
  return 0;
}

int ListDocuments() {
  v1::ListDocumentsRequest request;
  v1::DocumentFormat format;
  if (!ParseFormat(absl::GetFlag(FLAGS_format), &format)) {
    return Fail("--format must be citation_record, mirrored_article or "
                "plain_abstract");
  }
  request.set_format(format);
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto stub = v1::QueryService::NewStub(Connect());
  for (;;) {
    grpc::ClientContext context;
    v1::ListDocumentsResponse response;
    const grpc::Status status = stub->ListDocuments(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
    } else {
      for (const v1::Document& d : response.documents()) {
        std::cout << d.name() << "  " << v1::DocumentFormat_Name(d.format())
                  << "  " << (d.year() > 0 ? std::to_string(d.year()) : "----")
                  << "  " << d.passage_count() << " passages  "
                  << (d.has_title() ? Shorten(d.title(), 70) : "(no title)")
                  << "\n";
      }
    }
    if (response.next_page_token().empty() || !absl::GetFlag(FLAGS_all_pages)) break;
    request.set_page_token(response.next_page_token());
  }
  return 0;
}

int ListPassages(const std::vector<char*>& args) {
  if (args.size() != 3) return Fail("passages: give one documents/ID");
  v1::ListPassagesRequest request;
  request.set_parent(args[2]);
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto stub = v1::QueryService::NewStub(Connect());
  for (;;) {
    grpc::ClientContext context;
    v1::ListPassagesResponse response;
    const grpc::Status status = stub->ListPassages(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
    } else {
      for (const v1::Passage& p : response.passages()) {
        std::cout << "  #" << p.ordinal() << " "
                  << v1::PassageType_Name(p.type()) << "  "
                  << Shorten(p.text(), 90) << "\n";
        std::vector<std::string> concepts;
        for (const v1::Annotation& a : p.annotations()) {
          if (std::find(concepts.begin(), concepts.end(), a.concept()) == concepts.end()) {
            concepts.push_back(a.concept());
          }
        }
        if (!concepts.empty()) std::cout << "      tags: " << absl::StrJoin(concepts, " ") << "\n";
        for (const v1::Link& link : p.links()) {
          std::cout << "      link [" << link.span().start_char() << ","
                    << link.span().end_char() << ") \"" << link.anchor_text()
                    << "\" -> " << link.url() << "\n";
        }
      }
    }
    if (response.next_page_token().empty() || !absl::GetFlag(FLAGS_all_pages)) break;
    request.set_page_token(response.next_page_token());
  }
  return 0;
}

namespace {

// The passage's text with each highlight in [brackets].
std::string Marked(const v1::SearchResult& result) {
  const std::string& text = result.passage().text();
  std::string out;
  size_t at = 0;
  for (const v1::Span& span : result.highlights()) {
    const size_t start = static_cast<size_t>(span.start_byte());
    const size_t end = static_cast<size_t>(span.end_byte());
    if (start < at || end > text.size()) continue;
    out += text.substr(at, start - at) + "[" + text.substr(start, end - start) + "]";
    at = end;
  }
  return out + text.substr(at);
}

void PrintFacets(const char* name, const google::protobuf::RepeatedPtrField<v1::FacetCount>& facets) {
  if (facets.empty()) return;
  std::cout << "  " << name << ":";
  for (const v1::FacetCount& f : facets) std::cout << " " << f.value() << " (" << f.count() << ")";
  std::cout << "\n";
}

void PrintResults(const v1::SearchPassagesResponse& response, bool first_page) {
  if (first_page) {
    std::cout << response.total_size() << (response.total_size_is_bound() ? "+" : "")
              << " passages match\n";
    if (response.has_facets()) {
      PrintFacets("concepts", response.facets().concepts());
      PrintFacets("categories", response.facets().categories());
      PrintFacets("years", response.facets().years());
      PrintFacets("formats", response.facets().formats());
    }
  }
  for (const v1::SearchResult& result : response.results()) {
    std::cout << std::fixed << std::setprecision(3) << result.score() << "  "
              << result.passage().name() << "  "
              << v1::PassageType_Name(result.passage().type()) << "\n    "
              << Shorten(Marked(result), 400) << "\n";
  }
}

}  // namespace

int Search() {
  v1::SearchPassagesRequest request;
  request.set_query(absl::GetFlag(FLAGS_query));
  if (!request.query().empty()) {
    request.set_facet_size(absl::GetFlag(FLAGS_facets));
    if (absl::GetFlag(FLAGS_document_order)) {
      request.set_order_by(v1::SearchPassagesRequest::DOCUMENT_ORDER);
    }
  }
  for (const std::string& c : absl::GetFlag(FLAGS_concepts)) request.add_concepts(c);
  const std::string match = absl::AsciiStrToLower(absl::GetFlag(FLAGS_match));
  if (match != "any" && match != "all") return Fail("--match must be any or all");
  request.set_match(match == "all" ? v1::SearchPassagesRequest::ALL : v1::SearchPassagesRequest::ANY);
  request.set_include_descendants(absl::GetFlag(FLAGS_descendants));
  v1::ConceptCategory category;
  if (!ParseCategory(absl::GetFlag(FLAGS_category), &category)) {
    return Fail("--category must be a ConceptCategory such as topic or legislation");
  }
  request.set_category(category);
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto stub = v1::QueryService::NewStub(Connect());
  for (;;) {
    grpc::ClientContext context;
    v1::SearchPassagesResponse response;
    const grpc::Status status = stub->SearchPassages(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
    } else if (!request.query().empty()) {
      PrintResults(response, request.page_token().empty());
    } else {
      for (const v1::Passage& p : response.passages()) PrintPassage(p);
    }
    if (response.next_page_token().empty() || !absl::GetFlag(FLAGS_all_pages)) break;
    request.set_page_token(response.next_page_token());
  }
  return 0;
}

int Tags() {
  v1::ListTagsRequest request;
  v1::ConceptCategory category;
  if (!ParseCategory(absl::GetFlag(FLAGS_category), &category)) {
    return Fail("--category must be a ConceptCategory such as topic or legislation");
  }
  request.set_category(category);
  request.set_omit_unused(true);
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::ListTagsResponse response;
  const grpc::Status status = stub->ListTags(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
    return 0;
  }
  std::vector<v1::TagCount> tags(response.tags().begin(), response.tags().end());
  std::stable_sort(tags.begin(), tags.end(), [](const v1::TagCount& a, const v1::TagCount& b) {
    return std::make_pair(a.document_count(), a.passage_count()) >
           std::make_pair(b.document_count(), b.passage_count());
  });
  const int top = absl::GetFlag(FLAGS_top);
  if (top > 0 && static_cast<int>(tags.size()) > top) tags.resize(top);
  std::cout << "vocabulary " << response.vocabulary_version() << "\n";
  for (const v1::TagCount& t : tags) {
    std::cout << "  " << t.document_count() << " documents  " << t.passage_count()
              << " passages  " << t.concept().id() << "  (" << t.concept().label()
              << ", " << v1::ConceptCategory_Name(t.concept().category()) << ")\n";
  }
  return 0;
}

// What the corpus holds: documents per format, per tag category the
// concepts in use and the passages and documents they tag, and the top
// concepts. Counting documents pages through ListDocuments once per format.
int Summary() {
  auto stub = v1::QueryService::NewStub(Connect());
  std::cout << "documents per format\n";
  int64_t total = 0;
  for (const v1::DocumentFormat format :
       {v1::CITATION_RECORD, v1::MIRRORED_ARTICLE, v1::PLAIN_ABSTRACT}) {
    int64_t count = 0;
    std::string token;
    do {
      grpc::ClientContext context;
      v1::ListDocumentsRequest request;
      request.set_format(format);
      request.set_page_size(1000);
      request.set_page_token(token);
      v1::ListDocumentsResponse response;
      const grpc::Status status = stub->ListDocuments(&context, request, &response);
      if (!status.ok()) return Fail(status.error_message());
      count += response.documents_size();
      token = response.next_page_token();
    } while (!token.empty());
    total += count;
    std::cout << "  " << std::left << std::setw(18) << v1::DocumentFormat_Name(format) << count
              << "\n";
  }
  std::cout << "  " << std::left << std::setw(18) << "all" << total << "\n";

  grpc::ClientContext context;
  v1::ListTagsRequest request;
  request.set_omit_unused(true);
  v1::ListTagsResponse response;
  const grpc::Status status = stub->ListTags(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  struct CategoryCounts {
    int concepts = 0;
    int64_t passages = 0;
    int64_t documents = 0;
  };
  std::map<int, CategoryCounts> categories;
  for (const v1::TagCount& tag : response.tags()) {
    CategoryCounts& counts = categories[tag.concept().category()];
    ++counts.concepts;
    counts.passages += tag.passage_count();
    counts.documents += tag.document_count();
  }
  std::cout << "\ntags per category (vocabulary " << response.vocabulary_version()
            << "): concepts in use, passage tags, document tags\n";
  for (const auto& [category, counts] : categories) {
    std::cout << "  " << std::left << std::setw(14)
              << v1::ConceptCategory_Name(static_cast<v1::ConceptCategory>(category))
              << std::right << std::setw(5) << counts.concepts << std::setw(8) << counts.passages
              << std::setw(8) << counts.documents << "\n";
  }
  std::vector<v1::TagCount> tags(response.tags().begin(), response.tags().end());
  std::stable_sort(tags.begin(), tags.end(), [](const v1::TagCount& a, const v1::TagCount& b) {
    return std::make_pair(a.document_count(), a.passage_count()) >
           std::make_pair(b.document_count(), b.passage_count());
  });
  const int top = absl::GetFlag(FLAGS_top) > 0 ? absl::GetFlag(FLAGS_top) : 10;
  if (static_cast<int>(tags.size()) > top) tags.resize(top);
  std::cout << "\ntop " << tags.size() << " concepts: documents, passages\n";
  for (const v1::TagCount& t : tags) {
    std::cout << "  " << std::right << std::setw(4) << t.document_count() << std::setw(6)
              << t.passage_count() << "  " << t.concept().id() << " (" << t.concept().label()
              << ")\n";
  }
  return 0;
}

}  // namespace biocorpus::cli
