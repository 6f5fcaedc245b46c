#ifndef BIOCORPUS_CORPUS_VOCABULARY_BUILTIN_VOCABULARY_H_
#define BIOCORPUS_CORPUS_VOCABULARY_BUILTIN_VOCABULARY_H_

namespace biocorpus {

// The text of vocabulary/biocorpus-vocabulary.yaml, built in at compile time
// (builtin_vocabulary.cc.in).
extern const char kBuiltinVocabulary[];

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_VOCABULARY_BUILTIN_VOCABULARY_H_
