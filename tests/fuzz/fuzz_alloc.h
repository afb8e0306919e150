/*
 * fuzz_alloc.h — a checking allocator for the harnesses and reliability tests: every block
 * carries a header with its size, so a release or resize that passes the wrong size aborts;
 * it counts live blocks (a leak is live != 0 after everything is freed) and can be told to
 * fail the N-th allocation.
 */
#ifndef CXSENT_FUZZ_ALLOC_H
#define CXSENT_FUZZ_ALLOC_H

#include <cxsent.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_counter {
    size_t live;         /* blocks allocated and not released */
    size_t allocs;       /* alloc and resize calls so far */
    size_t fail_at;      /* the allocation (1-based) to fail; 0 never */
    size_t failed;       /* how many calls were made to fail */
    int fail_all_after;  /* once one failed, fail all later ones too */
} fuzz_counter;

#define FUZZ_ALLOC_MAGIC 0xC5E7A110u
#define FUZZ_ALLOC_HDR 16

static int fuzz_alloc_should_fail(fuzz_counter *c)
{
    c->allocs++;
    if ((c->fail_at && c->allocs == c->fail_at) || (c->fail_all_after && c->failed)) {
        c->failed++;
        return 1;
    }
    return 0;
}

static unsigned char *fuzz_alloc_hdr(void *ptr, size_t size)
{
    unsigned char *h = (unsigned char *)ptr - FUZZ_ALLOC_HDR;
    uint32_t magic;
    size_t stored;
    memcpy(&magic, h, sizeof magic);
    memcpy(&stored, h + 8, sizeof stored);
    if (magic != FUZZ_ALLOC_MAGIC || stored != size) {
        fprintf(stderr, "fuzz_alloc: block %p released or resized with size %zu, allocated "
                        "with %zu (magic %08x)\n", ptr, size, stored, (unsigned)magic);
        abort();
    }
    return h;
}

static void *fuzz_alloc_fn(void *ctx, size_t size)
{
    fuzz_counter *c = ctx;
    if (fuzz_alloc_should_fail(c) || size > SIZE_MAX - FUZZ_ALLOC_HDR)
        return NULL;
    unsigned char *h = malloc(size + FUZZ_ALLOC_HDR);
    if (!h)
        return NULL;
    uint32_t magic = FUZZ_ALLOC_MAGIC;
    memcpy(h, &magic, sizeof magic);
    memcpy(h + 8, &size, sizeof size);
    c->live++;
    return h + FUZZ_ALLOC_HDR;
}

static void *fuzz_resize_fn(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    fuzz_counter *c = ctx;
    unsigned char *h = fuzz_alloc_hdr(ptr, old_size);
    if (fuzz_alloc_should_fail(c) || new_size > SIZE_MAX - FUZZ_ALLOC_HDR)
        return NULL;
    unsigned char *n = realloc(h, new_size + FUZZ_ALLOC_HDR);
    if (!n)
        return NULL;
    memcpy(n + 8, &new_size, sizeof new_size);
    return n + FUZZ_ALLOC_HDR;
}

static void fuzz_release_fn(void *ctx, void *ptr, size_t size)
{
    fuzz_counter *c = ctx;
    unsigned char *h = fuzz_alloc_hdr(ptr, size);
    memset(h, 0, 12); /* a second release of this block aborts above */
    free(h);
    c->live--;
}

static inline cxs_allocator fuzz_allocator(fuzz_counter *c, int with_resize)
{
    cxs_allocator a;
    a.alloc = fuzz_alloc_fn;
    a.resize = with_resize ? fuzz_resize_fn : NULL;
    a.release = fuzz_release_fn;
    a.ctx = c;
    return a;
}

#endif
