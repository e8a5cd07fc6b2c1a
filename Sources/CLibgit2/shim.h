#ifndef FAULTLINE_CLIBGIT2_SHIM_H
#define FAULTLINE_CLIBGIT2_SHIM_H

#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-arity wrapper per argument shape.
static inline int faultline_git_opts_int(int option, int value) {
    return git_libgit2_opts(option, value);
}

static inline int faultline_git_opts_size(int option, size_t value) {
    return git_libgit2_opts(option, value);
}

#endif
