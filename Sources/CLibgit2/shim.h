#ifndef FAULTLINE_CLIBGIT2_SHIM_H
#define FAULTLINE_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/stream.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-arity wrapper per argument shape.
static inline int faultline_git_opts_int(int option, int value) {
    return git_libgit2_opts(option, value);
}

static inline int faultline_git_opts_size(int option, size_t value) {
    return git_libgit2_opts(option, value);
}

// A socket stream of our own (registered with git_stream_register). Its first members repeat libgit2
// 1.5's private git_socket_stream layout, because the SSH transport casts the stream to it and hands
// `s` to libssh2; `box` holds the Swift object that owns the socket.
typedef struct faultline_socket_stream {
    git_stream parent;
    char *host;
    char *port;
    int s;
    void *box;
} faultline_socket_stream;

#endif
