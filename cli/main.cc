// biocorpus: the command-line client of the ingest and query services.
//
//   biocorpus ingest    --target=HOST:PORT [--format=F] PATH...
//   biocorpus delete    --target=HOST:PORT documents/ID...
//   biocorpus get       --target=HOST:PORT documents/ID
//   biocorpus documents --target=HOST:PORT [--page_size=N] [--format=F]
//   biocorpus passages  --target=HOST:PORT documents/ID
//   biocorpus search    --target=HOST:PORT --concepts=ID[,ID] [--match=all]
//                       [--descendants] [--category=C]
//   biocorpus tags      --target=HOST:PORT [--category=C] [--top=N]
//   biocorpus summary   --target=HOST:PORT [--top=N]
//   biocorpus retag     --target=HOST:PORT [--force]
//   biocorpus publish   --target=HOST:PORT
//   biocorpus cite      --target=HOST:PORT (--doi=D | --url=U | --title=T |
//                       --author=FAMILY[:YEAR]) [--formats=apa,bibtex,ris,csl_json]
//   biocorpus citing    --target=HOST:PORT (--doi=D | --url=U)
//   biocorpus references --target=HOST:PORT documents/ID
//
// `ingest` takes files and folders (read recursively, in name order) and
// streams them through IngestDocuments, printing one line per document and,
// on long runs, a progress line on stderr. It exits 1 when any document was
// refused. `get` prints JSON; `documents` and `passages` print one line per
// item, or JSON with --json.

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

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "HOST:PORT of the service to call (ingest service for ingest, "
          "delete, retag and publish, query service for the rest)");
ABSL_FLAG(std::string, token_file, "",
          "ingest, delete, retag, publish: file holding the ingest token; default: "
          "$BIOCORPUS_INGEST_TOKEN");
ABSL_FLAG(std::string, tls_ca_file, "",
          "connect with TLS, trusting this PEM CA (default: plaintext)");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM client certificate for mutual TLS");
ABSL_FLAG(std::string, tls_key_file, "", "PEM key of --tls_cert_file");
ABSL_FLAG(std::string, format, "",
          "ingest: citation_record, mirrored_article or plain_abstract; "
          "documents: only this format. Default: detect / all");
ABSL_FLAG(int, page_size, 0, "documents / passages: page size (0: default)");
ABSL_FLAG(bool, all_pages, true, "documents / passages: follow page tokens");
ABSL_FLAG(bool, json, false,
          "documents / passages: print JSON instead of one line per item");
ABSL_FLAG(std::vector<std::string>, concepts, {},
          "search: concept ids, comma-separated");
ABSL_FLAG(std::string, match, "any", "search: any or all of the concepts");
ABSL_FLAG(bool, descendants, false, "search: include narrower concepts");
ABSL_FLAG(std::string, category, "",
          "search / tags: a concept category (topic, legislation, organization, "
          "person, location, technology, pathogen)");
ABSL_FLAG(int, top, 0, "tags: only the N concepts on most documents (0: all used)");
ABSL_FLAG(bool, force, false, "retag: re-tag every document");
ABSL_FLAG(std::string, doi, "", "cite / citing: a DOI in any spelling");
ABSL_FLAG(std::string, url, "", "cite / citing: a URL");
ABSL_FLAG(std::string, title, "", "cite: a title, its beginning, or some of its words");
ABSL_FLAG(std::string, author, "", "cite: FAMILY or FAMILY:YEAR");
ABSL_FLAG(std::vector<std::string>, formats, {"apa"},
          "cite: renderings, any of apa, bibtex, ris, csl_json");
ABSL_FLAG(int, progress_every, 100,
          "ingest: print a progress line after this many documents");

namespace {

namespace v1 = biocorpus::v1;
namespace fs = std::filesystem;

int Fail(const std::string& message) {
  std::cerr << "biocorpus: " << message << "\n";
  return 2;
}

bool ParseFormat(const std::string& name, v1::DocumentFormat* format) {
  if (name.empty()) {
    *format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
    return true;
  }
  return v1::DocumentFormat_Parse(absl::AsciiStrToUpper(name), format);
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  google::protobuf::util::MessageToJsonString(message, &out, options)
      .ok();
  return out;
}

// The first `max_chars` code points of `text`, with "..." when cut.
std::string Shorten(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return text.substr(0, i) + "...";
  }
  return text;
}

std::vector<fs::path> ExpandPaths(const std::vector<char*>& args,
                                  std::string* error) {
  std::vector<fs::path> files;
  for (size_t i = 2; i < args.size(); ++i) {
    const fs::path path(args[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() &&
            entry.path().filename().string().front() != '.') {
          found.push_back(entry.path());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      *error = absl::StrCat(path.string(), ": no such file or directory");
      return {};
    }
  }
  return files;
}

// A channel to --target; `with_token` adds the ingest token to every call.
std::shared_ptr<grpc::Channel> Connect(bool with_token = false) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxSendMessageSize(256 << 20);
  arguments.SetMaxReceiveMessageSize(64 << 20);
  std::string token;
  if (with_token) {
    absl::StatusOr<std::string> loaded =
        biocorpus::LoadIngestToken(absl::GetFlag(FLAGS_token_file));
    if (!loaded.ok()) {
      std::cerr << "biocorpus: " << loaded.status().message() << "\n";
    } else {
      token = *loaded;
    }
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      biocorpus::ChannelCredentialsFromFiles(absl::GetFlag(FLAGS_tls_ca_file),
                                             absl::GetFlag(FLAGS_tls_cert_file),
                                             absl::GetFlag(FLAGS_tls_key_file));
  if (!credentials.ok()) {
    std::cerr << "biocorpus: " << credentials.status().message() << "\n";
    std::exit(2);
  }
  return biocorpus::CreateChannelWithToken(absl::GetFlag(FLAGS_target), token, *credentials,
                                           arguments);
}

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

bool ParseCategory(const std::string& name, v1::ConceptCategory* category) {
  if (name.empty()) {
    *category = v1::CONCEPT_CATEGORY_UNSPECIFIED;
    return true;
  }
  return v1::ConceptCategory_Parse(absl::AsciiStrToUpper(name), category);
}

void PrintPassage(const v1::Passage& p) {
  std::cout << p.name() << "  " << v1::PassageType_Name(p.type()) << "  "
            << Shorten(p.text(), 90) << "\n";
  for (const v1::Annotation& a : p.annotations()) {
    std::cout << "      tag [" << a.span().start_char() << "," << a.span().end_char()
              << ") \"" << a.text() << "\" " << a.concept() << "\n";
  }
}

int Search() {
  v1::SearchPassagesRequest request;
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

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The biocorpus command-line client.\n"
      "  biocorpus ingest    --target=HOST:PORT [--format=F] PATH...\n"
      "  biocorpus delete    --target=HOST:PORT documents/ID...\n"
      "  biocorpus get       --target=HOST:PORT documents/ID\n"
      "  biocorpus documents --target=HOST:PORT [--format=F] [--page_size=N]\n"
      "  biocorpus passages  --target=HOST:PORT documents/ID\n"
      "  biocorpus search    --target=HOST:PORT --concepts=ID[,ID] [--match=all]\n"
      "                      [--descendants] [--category=C]\n"
      "  biocorpus tags      --target=HOST:PORT [--category=C] [--top=N]\n"
      "  biocorpus summary   --target=HOST:PORT [--top=N]\n"
      "  biocorpus retag     --target=HOST:PORT [--force]\n"
      "  biocorpus publish   --target=HOST:PORT\n"
      "  biocorpus cite      --target=HOST:PORT (--doi=D | --url=U | --title=T |\n"
      "                      --author=FAMILY[:YEAR]) [--formats=apa,bibtex,ris,csl_json]\n"
      "  biocorpus citing    --target=HOST:PORT (--doi=D | --url=U)\n"
      "  biocorpus references --target=HOST:PORT documents/ID");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    return Fail("give a command: ingest, delete, get, documents, passages, search, "
                "tags, summary, retag, publish, cite, citing, references (--help)");
  }
  const std::string command = args[1];
  if (command == "ingest") return Ingest(args);
  if (command == "delete") return Delete(args);
  if (command == "get") return Get(args);
  if (command == "documents") return ListDocuments();
  if (command == "passages") return ListPassages(args);
  if (command == "search") return Search();
  if (command == "tags") return Tags();
  if (command == "retag") return Retag();
  if (command == "summary") return Summary();
  if (command == "publish") return Publish();
  if (command == "cite") return Cite();
  if (command == "citing") return Citing();
  if (command == "references") return References(args);
  return Fail(absl::StrCat("unknown command '", command, "'"));
}
