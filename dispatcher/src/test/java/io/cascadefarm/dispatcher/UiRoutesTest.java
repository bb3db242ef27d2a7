package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's static files at {@code /ui/}: public, with a strict content security policy. */
class UiRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void bareUiRedirectsOnceAndTheFilesAreServed() {
    TestApi.Answer bare = api.get("/ui");
    assertEquals(302, bare.status());
    assertEquals("/ui/", bare.header("Location"));

    TestApi.Answer index = api.get("/ui/");
    assertEquals(200, index.status(), index.text());
    assertTrue(index.header("Content-Type").startsWith("text/html"), index.header("Content-Type"));
    assertTrue(index.text().contains("<script src=\"app.js\">"), index.text());
    assertTrue(index.header("Content-Security-Policy").contains("script-src 'self'"));
    assertEquals("nosniff", index.header("X-Content-Type-Options"));

    TestApi.Answer js = api.get("/ui/app.js");
    assertEquals(200, js.status());
    assertTrue(js.header("Content-Type").contains("javascript"), js.header("Content-Type"));
    assertEquals(200, api.get("/ui/app.css").status());
    assertEquals(404, api.get("/ui/nothing-here.js").status());
  }
}
