// Crash safety: a stream of thousands of documents, the ingest service
// killed with SIGKILL in the middle, restarted; every acknowledged document
// must be present and whole, and the query service must follow the new
// writer. Prints what it acknowledged and recovered.

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

std::string Record(int n) {
  return "AUTHOR=Crash Test TITLE=Biosafety durability record " + std::to_string(n) +
         " DOI=10.5555/crash." + std::to_string(n) +
         " ABSTRACT=Laboratory biosafety in China and the United States, part " +
         std::to_string(n) + ", see https://doi.org/10.5555/cited." + std::to_string(n % 7) + ".";
}

TEST(DurabilityTest, AcknowledgedDocumentsSurviveSigkill) {
  ServicePair pair;
  // Acknowledge only after the write-ahead log is on disk, as in production.
  pair.set_ingest_args({"--sync_writes=true"});
  ASSERT_TRUE(pair.Start()) << pair.error();

  constexpr int kDocuments = 3000;
  constexpr int kKillAfter = 1000;
  std::map<std::string, v1::IngestDocumentResponse> acknowledged;  // By name.
  {
    grpc::ClientContext context;
    auto stream = pair.ingest().IngestDocuments(&context);
    std::thread writer([&] {
      for (int n = 0; n < kDocuments; ++n) {
        v1::IngestDocumentRequest request;
        request.set_content(Record(n));
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    v1::IngestDocumentsResponse response;
    while (stream->Read(&response)) {
      if (!response.has_result()) continue;
      acknowledged[response.result().document().name()] = response.result();
      if (acknowledged.size() == kKillAfter) pair.ingest_process().Signal(SIGKILL);
    }
    writer.join();
    stream->Finish();  // Fails: the server died mid-stream.
  }
  pair.ingest_process().Stop(SIGKILL);  // Reap it.
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kKillAfter));
  ASSERT_LT(acknowledged.size(), static_cast<size_t>(kDocuments)) << "the kill came too late";

  ASSERT_TRUE(pair.RestartIngest({"--sync_writes=true"})) << pair.error();
  // A write after the restart: the query service must follow the new writer.
  v1::IngestDocumentResponse after;
  ASSERT_TRUE(pair.Ingest(Record(kDocuments + 1), &after).ok());

  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(after.document().name());
    get.set_commit_token(after.commit_token());
    v1::Document d;
    return pair.query().GetDocument(&context, get, &d).ok();
  })) << "the query service did not follow the restarted writer";

  // Every acknowledged document is there, whole: its passages, its citation
  // entries and its tag entries agree with it.
  int recovered = 0;
  for (const auto& [name, ack] : acknowledged) {
    SCOPED_TRACE(name);
    grpc::ClientContext context;
    v1::GetDocumentRequest get;
    get.set_name(name);
    v1::Document document;
    ASSERT_TRUE(pair.query().GetDocument(&context, get, &document).ok());
    EXPECT_EQ(document.content_sha256(), ack.document().content_sha256());
    grpc::ClientContext passages_context;
    v1::ListPassagesRequest list;
    list.set_parent(name);
    v1::ListPassagesResponse passages;
    ASSERT_TRUE(pair.query().ListPassages(&passages_context, list, &passages).ok());
    EXPECT_EQ(passages.passages_size(), document.passage_count());
    grpc::ClientContext lookup_context;
    v1::LookupCitationRequest lookup;
    lookup.set_doi(document.doi());
    v1::LookupCitationResponse found;
    ASSERT_TRUE(pair.query().LookupCitation(&lookup_context, lookup, &found).ok());
    EXPECT_EQ(found.citations(0).document(), name);
    ++recovered;
  }
  // The counters agree with the documents: every stored document (acknowledged
  // or not, but never half) carries topic/biosafety in two passages.
  v1::ListDocumentsRequest list_request;
  list_request.set_page_size(1000);
  std::set<std::string> stored;
  for (;;) {
    grpc::ClientContext c;
    v1::ListDocumentsResponse page;
    ASSERT_TRUE(pair.query().ListDocuments(&c, list_request, &page).ok());
    for (const auto& d : page.documents()) stored.insert(d.name());
    if (page.next_page_token().empty()) break;
    list_request.set_page_token(page.next_page_token());
  }
  grpc::ClientContext tags_context;
  v1::ListTagsRequest tags_request;
  tags_request.set_category(v1::TOPIC);
  v1::ListTagsResponse tags;
  ASSERT_TRUE(pair.query().ListTags(&tags_context, tags_request, &tags).ok());
  for (const auto& t : tags.tags()) {
    if (t.concept().id() == "topic/biosafety") {
      EXPECT_EQ(t.document_count(), static_cast<int64_t>(stored.size()));
    }
  }
  v1::ListCitingPassagesRequest citing;
  citing.set_doi("10.5555/cited.0");
  citing.set_page_size(1000);
  int citing_passages = 0;
  for (;;) {
    grpc::ClientContext c;
    v1::ListCitingPassagesResponse page;
    ASSERT_TRUE(pair.query().ListCitingPassages(&c, citing, &page).ok());
    citing_passages += page.passages_size();
    if (page.next_page_token().empty()) break;
    citing.set_page_token(page.next_page_token());
  }
  int expected_citing = 0;  // Stored documents whose abstract cites cited.0.
  for (const auto& [name, ack] : acknowledged) {
    const std::string& doi = ack.document().doi();
    const int n = std::stoi(doi.substr(doi.rfind('.') + 1));
    if (n % 7 == 0) ++expected_citing;
  }
  EXPECT_GE(citing_passages, expected_citing);
  std::printf("durability: %d documents sent, %zu acknowledged before SIGKILL, %d recovered "
              "intact, %zu stored after restart\n",
              kDocuments, acknowledged.size(), recovered, stored.size());
  EXPECT_EQ(recovered, static_cast<int>(acknowledged.size()));
}

}  // namespace
}  // namespace biocorpus::testing
