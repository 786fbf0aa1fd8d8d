#include "editorial/check_messages.h"

namespace clemency {

CheckMessage CheckMessageOf(const Diagnostic& diagnostic) {
  if (diagnostic.code.empty()) return {};
  CheckMessage message{diagnostic.code, {{"field", diagnostic.field}}};
  message.args.insert(message.args.end(), diagnostic.args.begin(), diagnostic.args.end());
  return message;
}

std::vector<CheckMessage> CheckMessageKinds() {
  std::vector<CheckMessage> out;
  for (size_t i = 0; i < DiagnosticCodeCount(); ++i) {
    const Diag code = static_cast<Diag>(i);
    CheckMessage message{DiagnosticKey(code), {{"field", ""}}};
    for (const std::string& name : DiagnosticArgNames(code)) message.args.emplace_back(name, "");
    out.push_back(std::move(message));
  }
  return out;
}

}  // namespace clemency
