#include "corpus/storage/stored_encoding.h"

#include <string>
#include <vector>

#include "biocorpus/v1/query_service.pb.h"
#include "biocorpus/v1/resources.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

v1::Passage PassageWith(int ordinal, v1::PassageType type, const std::string& text) {
  v1::Passage passage;
  passage.set_name("documents/00000000000000aa/passages/" + std::to_string(ordinal));
  passage.set_document("documents/00000000000000aa");
  passage.set_text(text);
  passage.set_ordinal(ordinal);
  passage.set_type(type);
  v1::Annotation* annotation = passage.add_annotations();
  annotation->set_concept("pathogen/sars-cov-2");
  passage.add_links()->set_url("https://example.org/a");
  return passage;
}

TEST(StoredEncodingTest, ReadsTheOrdinalAndTypeOfAnEncodingWithoutParsingTheRest) {
  const std::string encoding = PassageWith(41, v1::ABSTRACT, "A passage.").SerializeAsString();
  std::optional<PassageHeader> header = ReadPassageHeader(encoding);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->ordinal, 41);
  EXPECT_EQ(header->type, v1::ABSTRACT);

  header = ReadPassageHeader(v1::Passage().SerializeAsString());
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->ordinal, 0);
  EXPECT_EQ(header->type, v1::PASSAGE_TYPE_UNSPECIFIED);
}

TEST(StoredEncodingTest, RefusesBytesThatAreNotAnEncoding) {
  const std::string encoding = PassageWith(3, v1::TITLE, "Title").SerializeAsString();
  EXPECT_FALSE(ReadPassageHeader(encoding.substr(0, encoding.size() - 2)).has_value());
  EXPECT_FALSE(ReadPassageHeader(std::string("\x00\x01", 2)).has_value());
  EXPECT_FALSE(ReadPassageHeader("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff").has_value());
}

TEST(StoredEncodingTest, AppendedEncodingsSerializeAsParsedPassagesWould) {
  const std::vector<v1::Passage> passages = {PassageWith(0, v1::TITLE, "T"),
                                             PassageWith(1, v1::PARAGRAPH, "B, with a link.")};
  v1::SearchPassagesResponse parsed;
  std::vector<std::string> encodings;
  for (const v1::Passage& passage : passages) {
    *parsed.add_passages() = passage;
    encodings.push_back(passage.SerializeAsString());
  }
  parsed.set_next_page_token("token");

  v1::SearchPassagesResponse appended;
  appended.set_next_page_token("token");
  AppendEncodedMessages(v1::SearchPassagesResponse::kPassagesFieldNumber, encodings, &appended);
  EXPECT_EQ(appended.passages_size(), 0);  // Carried as they go on the wire.

  v1::SearchPassagesResponse received;
  ASSERT_TRUE(received.ParseFromString(appended.SerializeAsString()));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(received, parsed))
      << received.DebugString();
  EXPECT_EQ(appended.ByteSizeLong(), parsed.ByteSizeLong());
}

}  // namespace
}  // namespace biocorpus
