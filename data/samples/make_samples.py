#!/usr/bin/env python3
"""Generate the bundled libcxsent sample data (reviews.jsonl, reviews.csv).

Every record below is invented for libcxsent: the brands ("Harbor Coffee",
"Volt Mobile", "Parcelo") are fictional and no text is copied from real
reviews. The output is deterministic: running this script again produces
the same bytes. Standard library only.

Usage: python3 data/samples/make_samples.py
"""

import csv
import datetime
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

REVIEW_SOURCES = {"google", "trustpilot", "app_store", "email_survey"}
SOCIAL_SOURCES = {"twitter", "reddit", "mastodon"}

BRANDS = [
    ("hc", "Harbor Coffee"),
    ("vm", "Volt Mobile"),
    ("pc", "Parcelo"),
]

# Each entry: ("MM-DD HH:MM" in 2026, UTC), source, rating (None for social), text.
# Story: mostly liked (friendly baristas, pricey); new app launches in July
# with glitches, fixed during August, good again in September.
HARBOR_COFFEE = [
    ("04-02 08:14", "google", 5, "Friendly baristas, great flat white, and they remembered my name on the second visit. Will be back!"),
    ("04-04 07:41", "twitter", None, "Monday fuel ☕ @HarborCoffee oat latte hitting just right 👍"),
    ("04-06 12:30", "trustpilot", 4, "Lovely coffee and the staff are genuinely kind. A bit pricey for a small cup though."),
    ("04-09 16:05", "google", 3, "Coffee is fine. $6.40 for a cappuccino is steep. Seating is nice."),
    ("04-11 09:20", "reddit", None, "Anyone else think Harbor Coffee’s cold brew is underrated? Not bad at all for a chain."),
    ("04-14 10:02", "email_survey", 5, "No complaints. Quick service, clean tables, friendly team at the Dock Street location."),
    ("04-18 08:55", "mastodon", None, "Tried the new cardamom bun at Harbor Coffee. Sooo good. Slightly overpriced but I’d buy it again :)"),
    ("04-22 14:47", "google", 2, "Waited 20 minutes at the counter for two drinks and nobody said sorry. Usually better than this."),
    ("04-25 11:11", "trustpilot", 5, "The barista saw I was having a rough morning and drew a little heart in my foam ❤️ Telling all my friends about this place."),
    ("04-29 17:30", "twitter", None, "why is a medium latte at @HarborCoffee now $6.90?? love you but my wallet doesn’t #pricey"),
    ("05-02 08:03", "google", 4, "Great beans, friendly baristas, music a little loud. Will be back."),
    ("05-05 13:22", "email_survey", 4, "Staff were polite and my order was right. Prices could be a bit lower."),
    ("05-08 09:40", "reddit", None, "PSA: Harbor Coffee on 5th has the best window seats in town for working. Wifi is solid, coffee is pricey, staff never rush you."),
    ("05-12 07:58", "google", 5, "Best cortado in the city. Period."),
    ("05-15 15:15", "trustpilot", 1, "Found a hair in my muffin. The manager offered a replacement but honestly I’ve lost my appetite. #NeverAgain"),
    ("05-19 10:30", "mastodon", None, "Harbor Coffee switched to compostable cups, nice to see 🌱 Still wish they'd bring back real mugs for dine-in."),
    ("05-21 12:12", "google", 3, "It’s okay. Nothing special, nothing terrible."),
    ("05-24 09:09", "twitter", None, "shoutout to Maya at @HarborCoffee Pier 3 who makes every morning better 😂❤️"),
    ("05-28 16:44", "email_survey", 5, "Always friendly, always consistent. Pricey, yes, but worth it."),
    ("05-31 08:27", "trustpilot", 4, "Good coffee, clean place. The queue at 8am is long but it moves fast."),
    ("06-03 07:50", "google", 5, "Staff are lovely and the pastries are fresh every morning. Highly recommend."),
    ("06-07 11:18", "reddit", None, "Harbor Coffee raised prices again. $4.80 for a drip coffee. I like the baristas but I don’t like paying that much for filter."),
    ("06-10 14:05", "twitter", None, "@HarborCoffee the iced mocha is dangerous. 3rd one this week 🙄😂"),
    ("06-13 09:33", "google", 4, "Friendly service and good music. Could have been better: my latte was lukewarm."),
    ("06-17 08:40", "app_store", 4, "Old app is basic but works. Order ahead saves me ten minutes every morning."),
    ("06-20 12:00", "email_survey", 3, "Fine. Drinks are good, prices are high, seating is limited."),
    ("06-24 17:25", "mastodon", None, "Spent the afternoon at Harbor Coffee writing. Nobody asked me to leave after 3 hours, which I appreciate. Coffee 8/10, price 5/10."),
    ("06-28 10:10", "trustpilot", 5, "Five stars for the team at Harbor Row. They handled a huge group order with a smile."),
    ("07-01 09:00", "twitter", None, "New @HarborCoffee app just dropped. Let’s see how this goes 👀"),
    ("07-02 08:12", "app_store", 1, "New update logged me out and my 340 loyalty points are GONE. Bring back the old app!!!"),
    ("07-03 07:45", "app_store", 2, "Order ahead crashes on the payment screen every single time. Had to queue anyway."),
    ("07-04 10:30", "twitter", None, "great, the new @HarborCoffee app charged me twice for one latte 🙄 #customer_service"),
    ("07-06 13:40", "reddit", None, "Is the new Harbor Coffee app broken for everyone? My mobile order never reached the store, the barista had no record of it, and the app still shows it as 'ready for pickup'. The staff were really nice about it and made my drink on the spot, but I wasted 15 minutes and was late for work. Whoever approved this release needs a coffee."),
    ("07-08 08:20", "app_store", 1, "App crashes on launch. iPhone 13. Deleted."),
    ("07-09 07:20", "app_store", 1, "Reorder button is gone and the menu takes forever to load. Terrible update."),
    ("07-12 08:05", "app_store", 2, "Can't add a card, the payment page just spins. Frustrating."),
    ("07-09 11:55", "google", 4, "In-store experience still great, friendly baristas as always. The new app is a mess though."),
    ("07-11 16:10", "trustpilot", 2, "Emailed support about the double charge from the app. Waited 6 days for an email reply and got a template answer. Should have been refunded right away."),
    ("07-13 09:05", "mastodon", None, "The Harbor Coffee app redesign is a masterclass in how not to do an update. 4 taps to reorder became 9. :("),
    ("07-15 07:30", "app_store", 5, "Love it!!! Oh wait, it froze again. Five stars for the coffee, zero for the app."),
    ("07-19 07:50", "app_store", 1, "My rewards vanished after the update and support never answered. Useless app."),
    ("07-24 08:40", "app_store", 2, "Still crashing at checkout on Android. Please fix this, the old app was so much better."),
    ("07-29 12:15", "app_store", 1, "Charged twice again through the app. Not acceptable."),
    ("07-17 12:45", "email_survey", 2, "The app lost my order and I had to pay again at the counter. The barista was kind, but this should not happen."),
    ("07-20 08:50", "twitter", None, "@HarborCoffee 45 minutes on hold with your support line to get my points back. For COFFEE points. 😡"),
    ("07-23 15:20", "google", 3, "Coffee still good, prices still high, app still broken. Pick two."),
    ("07-27 10:05", "app_store", 2, "Update 3.0.1 fixed the login loop but my points history is still empty."),
    ("07-30 09:35", "reddit", None, "Harbor Coffee support chat answered in 2 minutes and restored my points. Credit where it's due."),
    ("08-02 08:15", "app_store", 4, "Much better after the latest update. Reorder button is back. Still a bit slow to load."),
    ("08-05 07:55", "google", 5, "Friendly staff, perfect flat white, and the app finally works. Will be back tomorrow!"),
    ("08-08 13:10", "trustpilot", 3, "Refund for the double charge took 3 weeks. Got there in the end, but it was a hassle."),
    ("08-11 10:40", "twitter", None, "ok the @HarborCoffee app is usable again 👍 welcome back order-ahead"),
    ("08-14 16:30", "email_survey", 4, "Good experience. A little pricey but the staff make up for it."),
    ("08-18 09:20", "mastodon", None, "Harbor Coffee, why are your iced drinks mostly ice 🙄 $6 for three sips."),
    ("08-21 12:25", "google", 2, "Queue was sooo slow today, only one barista on shift during lunch. Not her fault, but management should staff up."),
    ("08-25 08:05", "app_store", 5, "Fast, simple, and my points are back. Good job fixing it."),
    ("08-29 14:50", "reddit", None, "Harbor Coffee vs the indie place next door: Harbor is pricier but the baristas are friendlier. Can’t decide."),
    ("09-01 07:40", "google", 5, "Pumpkin spice is back and so am I. Friendly team, great vibe ❤️"),
    ("09-04 11:30", "twitter", None, "@HarborCoffee the barista at Dock St remembered my weird order from last month. Customer service GOALS 👍"),
    ("09-07 09:15", "trustpilot", 4, "Coffee is excellent, prices are not. Service is fast and friendly."),
    ("09-10 15:05", "email_survey", 5, "My cappuccino was cold and I had to ask twice for a lid. The girl at the till ignored me."),
    ("09-13 08:45", "app_store", 4, "Works well now. Would love Apple Pay in the app."),
    ("09-16 10:20", "mastodon", None, "Harbor Coffee has quietly become my third place. Not cheap, never rushed, always kind."),
    ("09-19 13:35", "google", 1, "Rude staff at the airport branch and $8 for a latte. Never again."),
    ("09-22 08:30", "reddit", None, "Harbor Coffee loyalty changes explained here: https://example.com/harbor-loyalty-2026 — tl;dr fewer points per dollar. Meh."),
    ("09-26 09:50", "twitter", None, "sitting in @HarborCoffee watching the rain, best $5 I’ve spent all week :)"),
    ("09-29 16:15", "google", 4, "Reliable, friendly, clean. Pricey but worth it most days."),
]

# Story: fine in spring; support collapses in July-August (hold times,
# billing errors, churn threats); recovers in September.
VOLT_MOBILE = [
    ("04-01 10:15", "google", 4, "Good coverage in the city, decent price for 20GB. Activation took five minutes."),
    ("04-03 18:20", "twitter", None, "@VoltMobile 5G in the subway now?? okay I see you 👍"),
    ("04-06 09:45", "trustpilot", 3, "Network is fine, app is clunky. Chat answered in 10 minutes, which is okay."),
    ("04-10 13:30", "app_store", 4, "Easy to check data usage. Would like a dark mode."),
    ("04-13 20:05", "reddit", None, "Switched to Volt Mobile from another carrier two months ago. No complaints so far, signal is not bad at all in the suburbs."),
    ("04-17 11:00", "email_survey", 5, "Store staff helped me move my number and set up eSIM. Quick and painless."),
    ("04-21 15:40", "google", 2, "No signal inside my apartment building. Support told me to stand near a window 🙄"),
    ("04-25 08:50", "mastodon", None, "Volt Mobile’s roaming pass worked perfectly in Portugal. Cheaper than my old carrier."),
    ("04-28 19:10", "trustpilot", 4, "Fair prices, reliable network. Customer service is slow but polite."),
    ("04-30 12:25", "twitter", None, "@VoltMobile why does my bill say $45 when the plan is $35?? #customer_service"),
    ("05-03 10:00", "google", 5, "Great value family plan. Telling all my friends to switch."),
    ("05-07 14:15", "app_store", 3, "App logs me out every few days. Otherwise fine."),
    ("05-10 17:45", "reddit", None, "Volt Mobile support chat answered in 2 minutes and fixed my voicemail. Didn’t expect that."),
    ("05-13 09:30", "email_survey", 4, "Overall good. Billing could be clearer."),
    ("05-17 21:10", "twitter", None, "Volt Mobile data speeds at the stadium tonight: sooo slow 🐌 #VoltMobile"),
    ("05-20 12:00", "trustpilot", 2, "Was promised a free phone case with my upgrade. Never arrived. Three calls later, still nothing."),
    ("05-24 16:35", "google", 4, "Coverage is solid on the highway. Price went up $2 this year, which I don’t love."),
    ("05-28 11:20", "mastodon", None, "Six months with Volt Mobile. Network: good. App: meh. Support: hit or miss."),
    ("06-02 09:05", "app_store", 4, "Bill pay works, usage tracker is accurate. Good enough."),
    ("06-05 18:40", "google", 3, "Waited 25 minutes on hold to ask about international calling. Answer was helpful once I got through."),
    ("06-09 13:15", "twitter", None, "@VoltMobile thank you for the outage credit without me even asking 👍"),
    ("06-12 10:50", "trustpilot", 4, "Reasonable plans and friendly store staff. Hold times are getting longer though."),
    ("06-16 20:30", "reddit", None, "Anyone else on Volt getting random 'SIM not provisioned' errors since the weekend? A restart fixed it for me."),
    ("06-20 11:40", "email_survey", 3, "Service is okay. The upgrade offer was confusing."),
    ("06-25 15:00", "google", 5, "Network has been rock solid all year. Can’t complain."),
    ("06-29 09:25", "app_store", 2, "Latest update broke the data usage widget."),
    ("07-02 10:10", "twitter", None, "@VoltMobile 70 minutes on hold and then the call dropped. On your own network. 😡"),
    ("07-05 14:20", "trustpilot", 1, "Charged twice for July. Billing error, they admit it, but the refund 'takes 2 billing cycles'. Absolutely not."),
    ("07-08 09:55", "google", 1, "45 minutes on hold, transferred three times, nobody could explain the roaming charge. Cancelling my plan."),
    ("07-10 19:30", "reddit", None, "Volt Mobile customer service has completely fallen apart this month. I was double charged on my July bill, called and waited 55 minutes on hold before the line went dead, tried chat and got a bot, then sent an email and waited 3 days for an email reply that just said 'we are looking into it'. Four years with them and I’m seriously considering switching to another carrier."),
    ("07-13 12:05", "email_survey", 2, "The network is fine. Support is terrible right now. I should have been refunded on the first call."),
    ("07-15 16:45", "mastodon", None, "Day 4 of trying to get Volt Mobile to remove a $60 charge for a plan I never ordered. The chat bot just loops. :("),
    ("07-18 08:30", "app_store", 1, "App shows a balance of $0 but I got a late fee?? Fix your billing."),
    ("07-20 21:15", "twitter", None, "great, another 'we are experiencing high call volumes' message from @VoltMobile 🙄 #NeverAgain"),
    ("07-23 11:25", "google", 2, "Store staff were nice but couldn’t do anything about the billing error. Everything has to go through the phone line, which means an hour on hold."),
    ("07-26 13:50", "trustpilot", 1, "Porting my number out this week. Switching to another carrier after 4 years. Thanks for nothing."),
    ("07-29 10:40", "reddit", None, "PSA for Volt customers: ask for the retention team and say you want to cancel. Got my double charge reversed in 10 minutes after 2 hours of nothing."),
    ("08-01 09:15", "twitter", None, "@VoltMobile 2 HOURS on hold. TWO HOURS. I just want my money back. 😡😡"),
    ("08-03 15:30", "google", 1, "Billed for a phone I returned in June. Every agent tells me something different. Never again."),
    ("08-06 12:10", "email_survey", 1, "You asked how likely I am to recommend you. Zero. I’m cancelling my plan."),
    ("08-08 18:20", "app_store", 2, "Can’t even open a support ticket in the app, it just spins forever."),
    ("08-11 10:55", "trustpilot", 5, "Support made me wait 50 minutes on hold and then hung up on me. Second time this month."),
    ("08-13 20:40", "mastodon", None, "Switched from Volt Mobile to a smaller carrier today. Port took 20 minutes. Should have done it in July."),
    ("08-16 11:35", "reddit", None, "Volt Mobile sent me a 'sorry for the wait' text while I was still on hold. You can’t make this up 😂"),
    ("08-19 14:05", "google", 2, "Network still good. Billing still wrong. Third month in a row I’m calling about the same $15 fee."),
    ("08-22 09:40", "twitter", None, "@VoltMobile ticket #48213 still open after 3 weeks. Is anyone there?? #customer_service"),
    ("08-25 16:25", "trustpilot", 3, "Finally got my refund after 24 days. Agent was apologetic. It could have been much better but at least it's done."),
    ("08-28 12:50", "email_survey", 2, "Long waits, confusing bills. I’m giving you until the end of the month before I switch carriers."),
    ("09-01 10:05", "google", 4, "Called support and got through in 4 minutes. Whatever you changed, keep it."),
    ("09-03 18:10", "twitter", None, "@VoltMobile actually fixed my bill AND credited the late fee. Faith restored... a bit 👍"),
    ("09-05 13:20", "reddit", None, "Volt seems to have hired more support staff. Chat answered in 2 minutes, callback within the hour. Much better than the summer mess."),
    ("09-08 09:50", "trustpilot", 4, "Billing is correct again and they sent an apology credit. Not perfect, but better."),
    ("09-10 15:45", "app_store", 4, "New version has a billing breakdown screen. Finally I understand my bill."),
    ("09-13 11:15", "email_survey", 5, "Quick, friendly help with my upgrade. Will be staying with Volt."),
    ("09-16 20:00", "mastodon", None, "Volt Mobile hold time today: 6 minutes. After this summer that feels like a miracle."),
    ("09-18 12:30", "google", 3, "Better than in August. Still waited 15 minutes on hold, but the agent solved it on the first call."),
    ("09-21 17:40", "twitter", None, "came back to @VoltMobile after 6 weeks with another carrier. their coverage is just better where I live :)"),
    ("09-23 10:25", "trustpilot", 2, "They say billing is fixed, but my September invoice still has the old roaming charge."),
    ("09-25 14:55", "app_store", 5, "Clean, fast and the usage widget works again. Good job team."),
    ("09-27 09:35", "google", 4, "Great coverage, fair price, and support is human again. Recommend to anyone in the area."),
    ("09-29 19:20", "reddit", None, "Volt Mobile posted a summer service update at https://example.com/volt-service-update saying they doubled the support team. Matches my experience this month."),
    ("09-30 11:00", "email_survey", 4, "Much improved. I was ready to leave in August, glad I didn’t."),
]

# Story: a good stretch April-July (fast, friendly drivers, good tracking);
# a peak-season delay wave from mid-August through September; recovering
# at the end of September.
PARCELO = [
    ("04-02 13:20", "google", 5, "Parcel arrived a day early and the driver left it exactly where I asked. Perfect."),
    ("04-05 10:40", "twitter", None, "@Parcelo tracking updates are so detailed I know what my package had for breakfast 😂👍"),
    ("04-08 16:15", "trustpilot", 4, "Reliable and cheap for small parcels. Drop-off point is a bit far from me."),
    ("04-12 09:05", "app_store", 5, "Best delivery app I've used. Live map, photo on delivery, easy redelivery."),
    ("04-15 14:30", "reddit", None, "Parcelo has been surprisingly good in my area. Three parcels this month, all on time."),
    ("04-19 11:50", "email_survey", 4, "Delivered on the promised day. Driver was friendly."),
    ("04-23 18:25", "google", 2, "Driver left my parcel at the front door in the rain. Box was soaked."),
    ("04-27 12:10", "mastodon", None, "Parcelo’s lockers are a great idea. Picked up at 11pm, no queue, no fuss."),
    ("05-01 09:35", "trustpilot", 5, "Fast, cheap, tracked. No complaints."),
    ("05-04 15:50", "google", 5, "Sent a birthday gift across the country in two days. Will use again."),
    ("05-08 10:20", "twitter", None, "delivery window said 10-12, @Parcelo showed up at 10:04. impressive :)"),
    ("05-11 13:45", "app_store", 4, "Great app. Would love a notification when the driver is 5 stops away."),
    ("05-15 17:05", "reddit", None, "Had a parcel go missing with Parcelo. Chat answered in 3 minutes, claim approved in 2 days. Not bad at all."),
    ("05-18 11:30", "email_survey", 5, "Smooth from booking to delivery. Telling all my friends."),
    ("05-22 08:55", "google", 3, "Delivery was fine. The customer service phone number is hard to find on the website."),
    ("05-26 14:40", "mastodon", None, "Parcelo electric vans in my neighbourhood now ⚡ quiet and on time."),
    ("05-29 19:15", "trustpilot", 4, "Good service overall. The label printing page could be easier."),
    ("06-02 10:25", "google", 5, "Driver called ahead because my buzzer is broken. That’s real customer service ❤️"),
    ("06-06 12:35", "twitter", None, "@Parcelo package came a day early AGAIN. keep it up 👍"),
    ("06-09 15:10", "app_store", 5, "Rescheduling a delivery takes two taps. Love it."),
    ("06-13 09:40", "reddit", None, "Small business owner here. Switched our shipping to Parcelo in spring, damaged-item returns are down and customers are happier."),
    ("06-17 16:20", "trustpilot", 2, "Parcel marked as delivered but it was at a neighbour’s three doors down. Found it, but the delivery photo was of the wrong house."),
    ("06-20 11:05", "email_survey", 4, "On time, good price. The pickup slot was a bit wide (8am-6pm)."),
    ("06-24 13:30", "google", 4, "Quick delivery, polite driver. Tracking jumped around a bit but it arrived."),
    ("06-28 18:45", "mastodon", None, "Return label from Parcelo printed at the locker, no printer needed. Small thing, big difference."),
    ("07-02 10:50", "google", 5, "Consistently fast. Haven’t had a late parcel all year."),
    ("07-06 14:15", "twitter", None, "@Parcelo driver helped my grandma carry the box inside. legend ❤️"),
    ("07-10 09:20", "trustpilot", 4, "Good prices for heavy parcels. Website is slow at times."),
    ("07-14 12:40", "app_store", 4, "Works well. Would like to save multiple addresses."),
    ("07-18 16:55", "reddit", None, "Parcelo vs the big guys: Parcelo is cheaper and so far just as fast for me. Will be back for the holiday shipping."),
    ("07-22 11:15", "email_survey", 5, "Perfect as usual, parcel arrived the next morning."),
    ("07-26 15:35", "google", 3, "Delivery on time, but the driver didn’t ring the bell and left a missed-delivery card. I was home."),
    ("07-30 10:05", "mastodon", None, "Sent 12 parcels for my Etsy shop with Parcelo this month. All arrived within 3 days. Happy."),
    ("08-03 09:30", "trustpilot", 5, "Reliable as always, arrived next day."),
    ("08-07 13:55", "google", 4, "Good service, a bit slower than usual this week."),
    ("08-11 17:20", "twitter", None, "@Parcelo my parcel has been 'in transit' at the hub for 3 days, everything ok? 🤔"),
    ("08-15 10:40", "app_store", 3, "App says out for delivery since yesterday morning. Hmm."),
    ("08-19 14:25", "reddit", None, "Is Parcelo having problems? Two parcels stuck at the Eastfield hub since Friday."),
    ("08-22 11:10", "google", 2, "Parcel arrived 4 days late. Tracking said 'delayed due to high volume'. Could have been communicated better."),
    ("08-25 16:50", "twitter", None, "great, another delay from @Parcelo 🙄 that’s the third 'delivery rescheduled' email this week #NeverAgain"),
    ("08-27 09:15", "trustpilot", 1, "Parcel arrived 5 days late and the box was crushed. Nobody answers the phone. Waited 40 minutes on hold and gave up."),
    ("08-30 12:30", "email_survey", 2, "Used to be great. This month it’s been sooo slow 🐌"),
    ("09-01 10:20", "google", 1, "Back-to-school order still not here after 9 days. School started yesterday. Thanks Parcelo."),
    ("09-03 15:05", "reddit", None, "Parcelo peak season meltdown thread. Post your delays here. Mine: ordered a desk on the 20th, promised in 2 days, tracking has said 'processing at hub' for six days now. Then yesterday I got 'address not found', which is funny because they have delivered to this exact address at least twenty times this year. Chat queue said 90 minutes. I gave up."),
    ("09-04 08:45", "twitter", None, "@Parcelo waited 3 days for an email reply and got 'we apologise for any inconvenience'. WHERE IS MY PARCEL 😡"),
    ("09-06 13:40", "app_store", 1, "Tracking hasn’t updated in a week. What’s the point of the app?"),
    ("09-08 17:15", "trustpilot", 2, "Parcel arrived a week late. Driver was apologetic, it’s clearly not his fault. Management should have hired more staff for peak season."),
    ("09-09 11:25", "mastodon", None, "Moving my shop's shipping away from Parcelo until they sort out the delays. Too many angry customers."),
    ("09-11 09:55", "google", 5, "The parcel was 4 days late and the chat took 2 hours to answer. Driver was lovely though."),
    ("09-13 14:10", "email_survey", 2, "Delays, no updates, and the refund for express shipping should have been automatic."),
    ("09-15 10:30", "twitter", None, "@Parcelo 'express' delivery. 8 days. sure 😂"),
    ("09-17 16:00", "reddit", None, "Parcelo posted an apology and a delay map here: https://parcelo.example/peak-update. At least they’re being honest about it."),
    ("09-19 12:45", "google", 3, "Slow this month but it did arrive. Chat answered in 5 minutes, which is more than I expected given the news."),
    ("09-21 09:10", "trustpilot", 1, "Refund took 3 weeks and I had to ask four times. I don’t like how this company treats people when things go wrong."),
    ("09-22 18:30", "app_store", 3, "Delay notifications are at least accurate now."),
    ("09-24 11:40", "twitter", None, "@Parcelo parcel finally here, only 5 days late 🙄 but hey, intact"),
    ("09-25 14:20", "google", 4, "Things seem to be getting back to normal. Next-day delivery again this week."),
    ("09-26 10:00", "email_survey", 3, "Better than the last few weeks, still not as good as spring."),
    ("09-27 15:55", "mastodon", None, "Parcelo delivered on time today for the first time in a month. Cautiously optimistic 👍"),
    ("09-28 12:15", "reddit", None, "Parcelo gave me a voucher for the late parcel without me asking. Will be back, I guess, they were great before the peak."),
    ("09-29 09:30", "trustpilot", 4, "Recovered well after a rough September. Driver was early today."),
    ("09-30 17:10", "google", 2, "Still waiting on a parcel sent on the 12th. Customer service says 'soon'. Cancelling my business account if it's not here by Friday."),
]

DATA = {"hc": HARBOR_COFFEE, "vm": VOLT_MOBILE, "pc": PARCELO}

FIELDS = ["id", "brand", "source", "created_at", "rating", "text"]


def build_records():
    records = []
    for prefix, brand in BRANDS:
        rows = sorted(DATA[prefix], key=lambda r: r[0])
        for n, (when, source, rating, text) in enumerate(rows, start=1):
            ts = datetime.datetime.strptime("2026-" + when, "%Y-%m-%d %H:%M")
            if not (4 <= ts.month <= 9):
                raise ValueError("date out of range: %s" % when)
            if source in REVIEW_SOURCES:
                if not (isinstance(rating, int) and 1 <= rating <= 5):
                    raise ValueError("review needs rating 1..5: %s" % text)
            elif source in SOCIAL_SOURCES:
                if rating is not None:
                    raise ValueError("social post must have null rating: %s" % text)
            else:
                raise ValueError("unknown source: %s" % source)
            words = len(text.split())
            if not (5 <= words <= 80):
                raise ValueError("text has %d words: %s" % (words, text))
            records.append({
                "id": "%s-%04d" % (prefix, n),
                "brand": brand,
                "source": source,
                "created_at": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "rating": rating,
                "text": text,
            })
    # Whole file in time order; ties broken by id so the order is stable.
    records.sort(key=lambda r: (r["created_at"], r["id"]))
    return records


def main():
    records = build_records()
    with open(os.path.join(HERE, "reviews.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "reviews.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        w.writerow(FIELDS)
        for rec in records:
            w.writerow([
                rec["id"], rec["brand"], rec["source"], rec["created_at"],
                "" if rec["rating"] is None else str(rec["rating"]),
                rec["text"],
            ])
    counts = {}
    for rec in records:
        counts[rec["brand"]] = counts.get(rec["brand"], 0) + 1
    print("wrote %d records: %s" % (len(records), ", ".join(
        "%s=%d" % (b, counts[b]) for _, b in BRANDS)))


if __name__ == "__main__":
    main()
