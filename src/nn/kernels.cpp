#include "nn/kernels.hpp"

namespace minillm {

namespace {

#define MINILLM_PLAIN_ROW(name, type, plain, fast) .name = plain,
#define MINILLM_FAST_ROW(name, type, plain, fast) .name = fast,
const Kernels kPlain{MINILLM_KERNELS(MINILLM_PLAIN_ROW)};
const Kernels kFast{MINILLM_KERNELS(MINILLM_FAST_ROW)};
#undef MINILLM_PLAIN_ROW
#undef MINILLM_FAST_ROW

Kernels g_active = kFast;

}  // namespace

const Kernels& plain_kernels() { return kPlain; }
const Kernels& fast_kernels() { return kFast; }
const Kernels& kernels_of(KernelForm form) { return form == KernelForm::plain ? kPlain : kFast; }
std::string_view kernel_form_name(KernelForm form) { return form == KernelForm::plain ? "plain" : "fast"; }
const Kernels& kernels() { return g_active; }

KernelScope::KernelScope(const Kernels& table) : previous_(g_active) { g_active = table; }
KernelScope::~KernelScope() { g_active = previous_; }

std::vector<std::string_view> kernel_names() {
#define MINILLM_NAME_ROW(name, type, plain, fast) #name,
  return {MINILLM_KERNELS(MINILLM_NAME_ROW)};
#undef MINILLM_NAME_ROW
}

}  // namespace minillm
