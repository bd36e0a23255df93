import Foundation
import HandraiserModel

/// Writes a synthetic WordPress export of about a given size, for measuring that reading
/// streams (peak memory must not grow with the file). The content is invented and repeatable:
/// posts with threaded comments, spam, pingbacks, CDATA bodies (some split around `]]>`) and
/// entities, from a fixed pseudo-random sequence.
public enum WXRSynth {
    /// What was written, so a reader's result can be checked against it.
    public struct Summary: Sendable, Hashable {
        public var bytes = 0
        public var posts = 0
        public var comments = 0
        public var spam = 0
        public var pingbacks = 0
    }

    public static func write(to path: String, approximateBytes: Int) throws -> Summary {
        // Whole or not at all, like every file Handraiser writes.
        let file = try OutputFile.create(path)
        var summary = Summary()
        var out = ""
        out.reserveCapacity(1 << 20)
        func flush() {
            summary.bytes += out.utf8.count
            file.write(out)
            out.removeAll(keepingCapacity: true)
        }
        var random = SplitMix64(seed: 0x5EED)
        out += """
            <?xml version="1.0" encoding="UTF-8" ?>
            <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel>
            <title>Synthetic Notes</title>
            <wp:wxr_version>1.2</wp:wxr_version>
            <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login><wp:author_email><![CDATA[editor@synthetic.example]]></wp:author_email><wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>

            """
        var commentID = 0
        while summary.bytes + out.utf8.count < approximateBytes {
            summary.posts += 1
            let postID = summary.posts
            out += """
                <item>
                <title>Post number \(postID) &amp; friends</title>
                <link>https://synthetic.example/p/\(postID)/</link>
                <dc:creator><![CDATA[editor]]></dc:creator>
                <content:encoded><![CDATA[<p>\(words(&random, 40 + random.next(200)))</p> if (a ]]]]><![CDATA[> b) {}]]></content:encoded>
                <wp:post_id>\(postID)</wp:post_id>
                <wp:post_date><![CDATA[2020-01-01 00:00:00]]></wp:post_date>
                <wp:post_type><![CDATA[post]]></wp:post_type>

                """
            let firstInPost = commentID + 1
            for _ in 0..<random.next(40) {
                commentID += 1
                summary.comments += 1
                let roll = random.next(20)
                let approved = roll == 0 ? "spam" : roll == 1 ? "0" : "1"
                if roll == 0 { summary.spam += 1 }
                let type = roll == 2 ? "pingback" : ""
                if roll == 2 { summary.pingbacks += 1 }
                let parent =
                    commentID > firstInPost && random.next(3) == 0
                    ? firstInPost + random.next(commentID - firstInPost) : 0
                let byEditor = random.next(10) == 0
                out += """
                    <wp:comment>
                    <wp:comment_id>\(commentID)</wp:comment_id>
                    <wp:comment_author><![CDATA[\(byEditor ? "Ed Itor" : "Reader \(random.next(5000))")]]></wp:comment_author>
                    <wp:comment_author_email><![CDATA[\(byEditor ? "editor@synthetic.example" : "r\(random.next(5000))@mail.example")]]></wp:comment_author_email>
                    <wp:comment_author_url>https://site\(random.next(900)).example/</wp:comment_author_url>
                    <wp:comment_author_IP><![CDATA[192.0.2.\(random.next(250))]]></wp:comment_author_IP>
                    <wp:comment_date><![CDATA[2020-01-02 03:04:05]]></wp:comment_date>
                    <wp:comment_content><![CDATA[\(words(&random, 10 + random.next(300)))]]></wp:comment_content>
                    <wp:comment_approved><![CDATA[\(approved)]]></wp:comment_approved>
                    <wp:comment_type><![CDATA[\(type)]]></wp:comment_type>
                    <wp:comment_parent>\(parent)</wp:comment_parent>
                    <wp:comment_user_id>\(byEditor ? 1 : 0)</wp:comment_user_id>
                    </wp:comment>

                    """
            }
            out += "</item>\n"
            if out.utf8.count > 1 << 20 { flush() }
        }
        out += "</channel>\n</rss>\n"
        flush()
        try file.commit()
        return summary
    }

    private static let vocabulary = [
        "harbour", "tide", "rope", "the", "and", "of", "boat", "&amp;", "<b>bold</b>", "café", "naïve",
        "whisky", "loch", "—", "a", "is", "to", "in", "that", "mooring", "sail", "keel", "&lt;tag&gt;",
        "http://link.example/path", "great", "post", "thanks", "question", "answer", "why", "how",
    ]

    private static func words(_ random: inout SplitMix64, _ count: Int) -> String {
        var text = ""
        for i in 0..<count {
            if i > 0 { text += random.next(12) == 0 ? "\n" : " " }
            text += vocabulary[random.next(vocabulary.count)]
        }
        return text
    }
}
