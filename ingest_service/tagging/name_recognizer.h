#ifndef BIOCORPUS_INGEST_SERVICE_TAGGING_NAME_RECOGNIZER_H_
#define BIOCORPUS_INGEST_SERVICE_TAGGING_NAME_RECOGNIZER_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "biocorpus/v1/resources.pb.h"

namespace biocorpus {

// A name found by its shape: bytes [start, end) of the text.
struct RecognizedName {
  size_t start = 0;
  size_t end = 0;
  v1::ConceptCategory category = v1::CONCEPT_CATEGORY_UNSPECIFIED;
};

// Finds names of organizations, people, places and laws by their shape, for
// the ones no vocabulary lists (the long tail of universities, institutes,
// companies, the people quoted in news, and the bills and guidelines):
//
// - English organizations: capitalised words around a head word
//   ("Colorado State University", "Key Laboratory of Medical Molecular
//   Virology", "The Seattle Times"), with "of", "for", "on", "and", "&"
//   inside; at least two capitalised words.
// - Chinese organizations: a run of Han characters ending in an
//   institutional suffix (大学, 研究所, 委员会, 有限公司, 人民政府, ...),
//   starting after punctuation or a function character, at least two
//   characters before the suffix and no determiner (该, 这, 各, 多) first.
// - English people: two or three capitalised words after a title ("Dr.",
//   "Professor", "Senator"), before ", a professor" / ", who", next to
//   "said", or beginning with a given name of the national name statistics
//   (Faker's lists, scripts/generate_given_names.py), also at the end of a
//   longer run ("NTI Co-Chair Sam Nunn"); "and" between two such names makes
//   two people; later mentions of the family name in the same text.
// - Chinese transliterations of foreign people: parts joined by middle dots
//   (埃里克·霍维茨), each of the characters transliteration tables use.
// - Chinese people: a common family name and one or two characters next to
//   a title (教授, 院士, 记者 (a space may follow), 总工程师, 署长, ...), before
//   a verb or a word of time (先前表示), or three or more such names in a
//   list separated by 、 or ，.
// - Places: capitalised words before County, River, Valley, ... ("Clark
//   County"), after Lake or Mount; Han runs ending in 市, 县, 镇, 乡, 盟, 旗.
// - "He" as a family name: in the middle of a sentence, or anywhere in a
//   text that names a He in full ("He Jiankui").
// - Laws, treaties and policies: capitalised words ending in a head word
//   (Act, Convention, Framework, Strategy, ...), with "of", "for", "on"
//   inside and a year after ("Bioterrorism Act of 2002"); laws named by a
//   number ("Executive Order 14110", "HB 1638"); titles in 《》 that end as
//   a law, a treaty or a guideline does (法, 条例, 公约, 指南, 框架, ...).
// - News outlets and journals: titles in 《》 ending in 日报, 时报, 杂志, ....
//
// Text in title case (most words capitalised: a headline) gives no English
// names: its capitals say nothing. Thread-safe; no state.
std::vector<RecognizedName> RecognizeNames(absl::string_view text);

// An acronym defined in parentheses right after a name that ends at byte
// `name_end` of `text`: "Board for Biosecurity (NSABB)", "委员会(National
// Science Advisory Board for Biosecurity,NSABB)", "公约(英语:Biological
// Weapons Convention,简称BWC)". Sets [*start, *end) to the acronym's bytes
// and returns true when there is one: two to ten ASCII letters, digits, "&"
// or "-", beginning with a capital and holding at least two, the last item
// of the parentheses.
bool DefinedAcronym(absl::string_view text, size_t name_end, size_t* start, size_t* end);

// True when `text` is only what an organization's name ends with (公司,
// 集团有限公司, "Inc"): "科兴公司" says no more than the listed "科兴".
bool IsOrganizationSuffix(absl::string_view text);

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_TAGGING_NAME_RECOGNIZER_H_
