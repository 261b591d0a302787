#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>

/* SSL_set_tlsext_host_name is a macro, which Swift cannot call. */
static inline long outpost_ssl_set_server_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/* SSL_CTX_set_min_proto_version is a macro as well. */
static inline long outpost_ssl_ctx_require_tls12(SSL_CTX *context) {
    return SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

/* The oldest queued OpenSSL error as text in `buffer` ("unknown error" when none), clearing
   the thread's queue: what the prober and the notifiers report when a TLS step fails. */
static inline void outpost_ssl_take_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        snprintf(buffer, size, "unknown error");
    } else {
        ERR_error_string_n(code, buffer, size);
    }
}
