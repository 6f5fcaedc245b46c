#include "query_service/paging/page_token.h"

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

TEST(PageTokenTest, RoundTripsAndRefusesForeignTokens) {
  const std::string token = EncodePageToken("documents", "0123456789abcdef");
  EXPECT_FALSE(token.empty());
  absl::StatusOr<std::string> after = DecodePageToken("documents", token);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, "0123456789abcdef");
  EXPECT_EQ(EncodePageToken("documents", ""), "");
  EXPECT_EQ(*DecodePageToken("documents", ""), "");
  EXPECT_EQ(DecodePageToken("passages:x", token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("documents", "%%%").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenTest, PageSizesFollowAip158) {
  EXPECT_EQ(*EffectivePageSize(0, 50, 1000), 50);
  EXPECT_EQ(*EffectivePageSize(7, 50, 1000), 7);
  EXPECT_EQ(*EffectivePageSize(5000, 50, 1000), 1000);
  EXPECT_EQ(EffectivePageSize(-1, 50, 1000).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace biocorpus
