#ifndef BIOCORPUS_CORPUS_RPC_LOGGING_H_
#define BIOCORPUS_CORPUS_RPC_LOGGING_H_

#include <string>

namespace biocorpus {

// Sends log lines to stderr (stdout carries only the "listening on" line)
// as "TIME LEVEL PROGRAM message", at `level` (trace, debug, info, warn,
// error, off). Call once from main().
void InitLogging(const std::string& program, const std::string& level);

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_LOGGING_H_
