// Every request size, page size, query length and waiting limit of the
// README's table of limits, at its edge: the largest accepted, the smallest
// refused, with the code and the message the table gives.

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kMaxDocumentBytes = 65536;

// A citation record of exactly `bytes` bytes.
std::string RecordOfSize(size_t bytes, int n) {
  std::string record = absl::StrCat("TITLE=Limits record ", n, " DOI=10.5555/limits.", n,
                                    " ABSTRACT=Biosafety oversight");
  if (record.size() < bytes) record.append(bytes - record.size(), '.');
  return record;
}

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pair_ = new ServicePair();
    pair_->set_ingest_args({absl::StrCat("--max_document_bytes=", kMaxDocumentBytes)});
    ASSERT_TRUE(pair_->Start()) << pair_->error();
    for (int n = 0; n < 3; ++n) {
      v1::IngestDocumentResponse response;
      ASSERT_TRUE(pair_->Ingest(RecordOfSize(200, 100 + n), &response).ok());
      token_ = response.commit_token();
    }
  }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }

  static grpc::Status Ingest(const std::string& content) {
    grpc::ClientContext context;
    v1::IngestDocumentRequest request;
    request.set_content(content);
    v1::IngestDocumentResponse response;
    return pair_->ingest().IngestDocument(&context, request, &response);
  }

  static grpc::Status Search(const v1::SearchPassagesRequest& request) {
    grpc::ClientContext context;
    v1::SearchPassagesRequest with_token = request;
    with_token.set_commit_token(token_);
    v1::SearchPassagesResponse response;
    return pair_->query().SearchPassages(&context, with_token, &response);
  }

  static ServicePair* pair_;
  static std::string token_;
};

ServicePair* LimitsTest::pair_ = nullptr;
std::string LimitsTest::token_;

TEST_F(LimitsTest, ADocumentOfMaxDocumentBytesIsTakenAndOneByteMoreIsNot) {
  EXPECT_TRUE(Ingest(RecordOfSize(kMaxDocumentBytes, 1)).ok());
  const grpc::Status over = Ingest(RecordOfSize(kMaxDocumentBytes + 1, 2));
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(over.error_message(),
              HasSubstr(absl::StrCat("content is ", kMaxDocumentBytes + 1,
                                     " bytes, over the limit of ", kMaxDocumentBytes)));
}

TEST_F(LimitsTest, AnIngestMessageOverTheTransportLimitIsResourceExhausted) {
  // gRPC's own limit: --max_document_bytes plus 1 MiB.
  const grpc::Status over = Ingest(std::string(kMaxDocumentBytes + (1 << 20) + 1, 'a'));
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Just under it, the parser's limit answers.
  const grpc::Status under = Ingest(std::string(kMaxDocumentBytes + (1 << 20) - 64, 'a'));
  EXPECT_EQ(under.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(under.error_message(), HasSubstr("--max_document_bytes"));
}

TEST_F(LimitsTest, ATitleOf8KiBIsTakenAndOneByteMoreIsNot) {
  auto with_title = [](size_t bytes, int n) {
    return absl::StrCat("TITLE=", std::string(bytes, 't'), " DOI=10.5555/title.", n);
  };
  EXPECT_TRUE(Ingest(with_title(8192, 1)).ok());
  const grpc::Status over = Ingest(with_title(8193, 2));
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(over.error_message(), HasSubstr("title is 8193 bytes; a title may have at most 8192"));
}

TEST_F(LimitsTest, PageSizesUpTo1000AreServedLargerAreClampedNegativeAreRefused) {
  for (int size : {1000, 1001, 100000}) {
    grpc::ClientContext context;
    v1::ListDocumentsRequest request;
    request.set_page_size(size);
    v1::ListDocumentsResponse response;
    const grpc::Status status = pair_->query().ListDocuments(&context, request, &response);
    EXPECT_TRUE(status.ok()) << size << ": " << status.error_message();
    EXPECT_LE(response.documents_size(), 1000);
  }
  grpc::ClientContext context;
  v1::ListDocumentsRequest negative;
  negative.set_page_size(-1);
  v1::ListDocumentsResponse response;
  const grpc::Status status = pair_->query().ListDocuments(&context, negative, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));

  v1::SearchPassagesRequest facets;
  facets.set_query("biosafety");
  facets.set_facet_size(1000);
  EXPECT_TRUE(Search(facets).ok());
  facets.set_facet_size(1001);
  const grpc::Status over = Search(facets);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(over.error_message(), HasSubstr("facet_size must be 0 to 1000, not 1001"));
}

TEST_F(LimitsTest, AQueryOf1024BytesAnd64TermsIsServedOneMoreIsNot) {
  // 16 words of 63 letters and their spaces: 1,023 bytes, then 1,024 with
  // one letter more.
  std::string query;
  for (int i = 0; i < 16; ++i) absl::StrAppend(&query, i == 0 ? "" : " ", std::string(63, 'a' + i));
  query.push_back('z');
  ASSERT_EQ(query.size(), 1024u);
  v1::SearchPassagesRequest request;
  request.set_query(query);
  EXPECT_TRUE(Search(request).ok()) << Search(request).error_message();
  request.set_query(query + "z");
  grpc::Status over = Search(request);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(over.error_message(), HasSubstr("1024"));

  std::string terms;
  for (int i = 0; i < 64; ++i) absl::StrAppend(&terms, i == 0 ? "" : " ", "w", i);
  request.set_query(terms);
  EXPECT_TRUE(Search(request).ok()) << Search(request).error_message();
  request.set_query(terms + " w64");
  over = Search(request);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(over.error_message(), HasSubstr("64"));
}

TEST_F(LimitsTest, AQueryRequestOver4MiBIsResourceExhausted) {
  grpc::ClientContext context;
  v1::GetDocumentRequest request;
  request.set_name(std::string((4 << 20) + 1, 'n'));
  v1::Document document;
  EXPECT_EQ(pair_->query().GetDocument(&context, request, &document).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(LimitsTest, ACommitTokenIsWaitedForAtMostTwoSecondsWhateverTheDeadline) {
  const auto start = std::chrono::steady_clock::now();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::GetDocumentRequest request;
  request.set_name("documents/0000000000000000");
  request.set_commit_token("999999999999");
  v1::Document document;
  const grpc::Status status = pair_->query().GetDocument(&context, request, &document);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("not caught up with commit 999999999999"));
  // Two seconds of waiting, well short of the call's thirty.
  EXPECT_GE(waited, 1.9);
  EXPECT_LT(waited, 25.0);
}

TEST_F(LimitsTest, ACallPastItsDeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::SearchPassagesRequest request;
  request.set_query("biosafety");
  v1::SearchPassagesResponse response;
  EXPECT_EQ(pair_->query().SearchPassages(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace biocorpus::testing
