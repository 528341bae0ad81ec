<?xml version="1.0" encoding="UTF-8"?>
<!-- recast's feed stylesheet: shows an RSS 2.0 or Atom 1.0 feed as a readable page in a
     browser. XSLT 1.0 (what browsers run), plain CSS, no external resource.
     Printed by `recast stylesheet`; named in a feed by the stylesheet option of `recast convert`. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
      doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="description" select="/rss/channel/description | /atom:feed/atom:subtitle"/>
  <xsl:variable name="site"
      select="/rss/channel/link | /atom:feed/atom:link[@rel = 'alternate' or not(@rel)]/@href"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          :root { color-scheme: light dark; --accent: #2563eb; --muted: #6b7280; --line: #e5e7eb; }
          body { font: 17px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif;
                 max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
          a { color: var(--accent); text-decoration: none; }
          a:hover { text-decoration: underline; }
          .note { background: rgba(37, 99, 235, 0.08); border-left: 4px solid var(--accent);
                  padding: 0.75rem 1rem; border-radius: 0.25rem; font-size: 0.95rem; }
          .note code { word-break: break-all; }
          header h1 { margin: 1.5rem 0 0.25rem; line-height: 1.2; }
          header p { margin: 0 0 0.5rem; color: var(--muted); }
          article { border-top: 1px solid var(--line); padding: 1rem 0; }
          article h2 { font-size: 1.2rem; margin: 0 0 0.2rem; }
          time { color: var(--muted); font-size: 0.9rem; }
          article p { margin: 0.4rem 0 0; }
        </style>
      </head>
      <body>
        <p class="note">
          <strong>This is a web feed.</strong>
          Subscribe by copying this page's address into your feed reader
          (NetNewsWire, Feedly, Thunderbird, ...). Visit
          <a href="https://aboutfeeds.com/">About Feeds</a> to learn more.
        </p>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <xsl:if test="$description">
            <p><xsl:value-of select="$description"/></p>
          </xsl:if>
          <xsl:if test="$site">
            <p><a href="{$site}">Visit the website &#8594;</a></p>
          </xsl:if>
        </header>
        <main>
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- An item: its title linked, its date, its summary as plain text (a summary in HTML
       is escaped in the feed; XSLT 1.0 cannot parse it, and writing it unescaped would
       run whatever it holds, so its tags are dropped). -->
  <xsl:template match="item | atom:entry">
    <xsl:variable name="link"
        select="link | atom:link[@rel = 'alternate' or not(@rel)][1]/@href"/>
    <xsl:variable name="date" select="pubDate | atom:published | atom:updated[not(../atom:published)]"/>
    <article>
      <h2>
        <xsl:choose>
          <xsl:when test="$link">
            <a href="{$link}"><xsl:value-of select="title | atom:title"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="title | atom:title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:if test="$date">
        <time><xsl:value-of select="$date"/></time>
      </xsl:if>
      <xsl:variable name="summary">
        <xsl:call-template name="text-of">
          <xsl:with-param name="html" select="normalize-space(description | atom:summary)"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:if test="string($summary)">
        <p><xsl:value-of select="substring($summary, 1, 400)"/>
          <xsl:if test="string-length($summary) &gt; 400">&#8230;</xsl:if></p>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- The text of escaped HTML: everything outside its tags. -->
  <xsl:template name="text-of">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:value-of select="substring-before($html, '&lt;')"/>
        <xsl:call-template name="text-of">
          <xsl:with-param name="html"
              select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$html"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
